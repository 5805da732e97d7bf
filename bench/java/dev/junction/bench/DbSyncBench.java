package dev.junction.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.dbsync.plugin.DbSyncDatabases;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.infra.Ports;
import dev.junction.testing.ForkedJunction;

/**
 * db-sync (the `db-sync` command in a JVM of its own) against Debezium's MariaDB source with Debezium's JDBC sink
 * into PostgreSQL in one Kafka Connect standalone worker (the legacy-to-microservice direction only: the anchor has
 * no API). Each side has its own legacy database of {@value #FILMS} films and its own PostgreSQL database.
 * <ul>
 * <li>latency: a legacy commit (or, for db-sync, an API PUT) at 100 changes/s until the new title is in the
 * other database (a poller reads the target table every 2 ms; the API reads that same table);</li>
 * <li>throughput: changes written as fast as the writers go (4 legacy connections; then, for db-sync, also 8 API clients on
 * other films), until the other side holds every last value; changes per second over that time.</li>
 * </ul>
 */
final class DbSyncBench {

    private static final String BENCH = "db-sync";
    private static final String ANCHOR = "debezium-jdbc-sink";
    private static final int FILMS = 200;
    private static final int RATE = 100;

    private DbSyncBench() {
    }

    record Figures(double[] legacyToTarget, double[] apiToLegacy, double legacyThroughput, double throughput) {
    }

    static void run(BenchOptions options) throws Exception {
        int latencySeconds = (int) options.number("latency-seconds", 30, 8);
        int changes = (int) options.number("changes", 20_000, 4_000);
        Path dir = Files.createTempDirectory("bench-db-sync");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
        EmbeddedMariaDb maria = EmbeddedMariaDb.start(dir.resolve("mariadb"), 0);
        try {
            System.out.printf("db-sync: %d films; latency at %d changes/s for %d s; throughput over %,d changes per side%n",
                    FILMS, RATE, latencySeconds, changes);
            Map<String, Figures> figures = new HashMap<>();
            // The anchor first warms the broker and the databases for both. --sides ours runs one side (while tuning
            // it); RESULT lines need both.
            List<String> sides = List.of(options.values().getOrDefault("sides", "anchor,ours").split(","));
            for (String side : sides) {
                figures.put(side, measure(side, dir, kafka, pg, maria, latencySeconds, changes));
            }
            if (!figures.containsKey("ours") || !figures.containsKey("anchor")) {
                return;
            }
            Figures ours = figures.get("ours");
            Figures anchor = figures.get("anchor");
            Result.print(BENCH, "latency_p50_legacy_to_api", ours.legacyToTarget[0], "ms", ANCHOR, anchor.legacyToTarget[0], "lower");
            Result.print(BENCH, "latency_p99_legacy_to_api", ours.legacyToTarget[1], "ms", ANCHOR, anchor.legacyToTarget[1], "lower");
            Result.print(BENCH, "latency_p50_api_to_legacy", ours.apiToLegacy[0], "ms", "none", 0, "lower");
            Result.print(BENCH, "latency_p99_api_to_legacy", ours.apiToLegacy[1], "ms", "none", 0, "lower");
            // Like for like with the anchor: legacy writers only. Then both sides writing (the anchor has no API: its
            // figure is its legacy-only one).
            Result.print(BENCH, "throughput_legacy_to_api", ours.legacyThroughput, "changes/s", ANCHOR, anchor.legacyThroughput, "higher");
            Result.print(BENCH, "throughput", ours.throughput, "changes/s", ANCHOR, anchor.legacyThroughput, "higher");
        } finally {
            maria.close();
            pg.close();
            kafka.closeAndDelete();
        }
    }

    private static Figures measure(String side, Path dir, EmbeddedKafka kafka, EmbeddedPostgres pg, EmbeddedMariaDb maria,
            int latencySeconds, int changes) throws Exception {
        String legacyDb = "sakila_" + side;
        maria.createDatabase(legacyDb);
        String legacyUrl = maria.jdbcUrl(legacyDb);
        DbSyncDatabases.createSakila(legacyUrl, maria.user(), maria.password());
        try (Connection c = DriverManager.getConnection(legacyUrl, maria.user(), maria.password()); Statement s = c.createStatement()) {
            for (int i = 0; i < FILMS; i++) {
                s.executeUpdate("INSERT INTO film (film_id, title, language_id) VALUES (" + (i + 1) + ", 'FILM " + i + "', 1)");
            }
        }
        pg.createDatabase("target_" + side);
        String targetUrl = pg.jdbcUrl("target_" + side);
        boolean ours = side.equals("ours");
        // db-sync's catalogue, or the sink's copy of the film table: title by film.
        String targetQuery = ours ? "SELECT uuid, title FROM catalogue WHERE deleted = false" : "SELECT film_id, title FROM film_copy";
        int apiPort = Ports.freePort();
        AutoCloseable running = ours ? dbSync(dir, kafka, pg, maria, legacyDb, targetUrl, apiPort) : connect(dir, kafka, pg, maria, legacyDb, targetUrl);
        try (running; Connection legacy = DriverManager.getConnection(legacyUrl, maria.user(), maria.password());
                Connection target = DriverManager.getConnection(targetUrl, pg.user(), pg.password())) {
            long t0 = System.nanoTime();
            while (titles(target, targetQuery).size() < FILMS) {
                if (System.nanoTime() - t0 > Duration.ofMinutes(3).toNanos()) {
                    throw new IllegalStateException(side + ": the " + FILMS + " films did not reach the target within 3 minutes");
                }
                Thread.sleep(200); // a start-up, not a result
            }
            // Keys of the target rows: db-sync's uuid, the sink's film_id.
            Map<Integer, String> keyOf = new HashMap<>();
            try (Statement s = legacy.createStatement(); ResultSet rs = s.executeQuery("SELECT film_id, uuid FROM film")) {
                while (rs.next()) {
                    keyOf.put(rs.getInt(1), ours ? rs.getString(2) : String.valueOf(rs.getInt(1)));
                }
            }
            double[] legacyToTarget = latency(latencySeconds, seq -> {
                int film = (int) (seq % FILMS) + 1;
                try (PreparedStatement s = legacy.prepareStatement("UPDATE film SET title = ? WHERE film_id = ?")) {
                    s.setString(1, "L" + seq);
                    s.setInt(2, film);
                    s.executeUpdate();
                }
                return keyOf.get(film);
            }, () -> titles(target, targetQuery), "L");
            System.out.printf("  %-48s legacy -> %s: p50 %.1f ms, p99 %.1f ms%n", label(side), ours ? "catalogue" : "sink table",
                    legacyToTarget[0], legacyToTarget[1]);
            double[] apiToLegacy = {0, 0};
            // HTTP/1.1, as curl and most service clients speak it: a connection per client thread. Java's default, h2c,
            // multiplexes every client on one connection, which one server event-loop thread then handles alone.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String api = "http://localhost:" + apiPort + "/api/v1/catalogue/";
            if (ours) {
                apiToLegacy = latency(latencySeconds, seq -> {
                    int film = (int) (seq % FILMS) + 1;
                    put(http, api + keyOf.get(film), "A" + seq);
                    return keyOf.get(film);
                }, () -> titles(legacy, "SELECT uuid, title FROM film"), "A");
                System.out.printf("  %-48s API -> legacy: p50 %.1f ms, p99 %.1f ms%n", label(side), apiToLegacy[0], apiToLegacy[1]);
            }
            double legacyThroughput = throughput(side, legacy, target, targetQuery, keyOf, http, api, changes, false);
            System.out.printf("  %-48s legacy writers only: %,.0f changes/s%n", label(side), legacyThroughput);
            double throughput = legacyThroughput;
            if (ours) {
                throughput = throughput(side, legacy, target, targetQuery, keyOf, http, api, changes, true);
                System.out.printf("  %-48s both sides writing: %,.0f changes/s%n", label(side), throughput);
            }
            return new Figures(legacyToTarget, apiToLegacy, legacyThroughput, throughput);
        }
    }

    private static String label(String side) {
        return side.equals("ours") ? "Junction db-sync" : "Debezium MariaDB source + JDBC sink (Connect)";
    }

    interface Change {
        /** Makes change {@code seq}; returns the key of the row it changed at the other side. */
        String make(long seq) throws Exception;
    }

    interface Titles {
        Map<String, String> read() throws SQLException;
    }

    /** Changes at {@value #RATE}/s for {@code seconds}; p50 and p99 of commit-to-visible, in ms. */
    private static double[] latency(int seconds, Change change, Titles titles, String prefix) throws Exception {
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        List<Double> latencies = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        long total = (long) seconds * RATE;
        long start = System.nanoTime();
        Future<?> writing = writer.submit(() -> {
            for (long seq = 0; seq < total; seq++) {
                long due = start + seq * 1_000_000_000L / RATE;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                long before = System.nanoTime();
                change.make(seq);
                committedAt.put(seq, before);
            }
            return null;
        });
        long deadline = start + Duration.ofSeconds(seconds + 30).toNanos();
        while (latencies.size() < total * 0.95 && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            for (Map.Entry<String, String> row : titles.read().entrySet()) {
                String title = row.getValue();
                if (title == null || !title.startsWith(prefix)) {
                    continue;
                }
                long seq = Long.parseLong(title.substring(prefix.length()));
                Long last = seen.put(row.getKey(), seq);
                Long at = committedAt.get(seq);
                if ((last == null || last != seq) && at != null) {
                    latencies.add((now - at) / 1e6);
                }
            }
            Thread.sleep(2);
        }
        writing.get();
        writer.shutdown();
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException("no change became visible");
        }
        return new double[] {sorted[(int) (sorted.length * 0.50)], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]};
    }

    /**
     * {@code changes} legacy updates from 4 connections to the first half of the films (db-sync: and as many API PUTs
     * from 8 clients to the other half), then the time until the other side holds every last value.
     */
    private static double throughput(String side, Connection legacy, Connection target, String targetQuery,
            Map<Integer, String> keyOf, HttpClient http, String api, int changes, boolean withApi) throws Exception {
        String legacyUrl = legacy.getMetaData().getURL();
        String prefix = withApi ? "B" : "T"; // new titles in each run
        Map<String, String> expectedInTarget = new ConcurrentHashMap<>();
        Map<String, String> expectedInLegacy = new ConcurrentHashMap<>();
        AtomicLong next = new AtomicLong();
        AtomicLong nextApi = new AtomicLong();
        AtomicLong legacyWritten = new AtomicLong();
        AtomicLong apiWritten = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                try (Connection c = DriverManager.getConnection(legacyUrl, DbSyncDatabases.LEGACY_USER, DbSyncDatabases.LEGACY_PASSWORD);
                        PreparedStatement s = c.prepareStatement("UPDATE film SET title = ? WHERE film_id = ?")) {
                    for (long seq = next.getAndIncrement(); seq < changes; seq = next.getAndIncrement()) {
                        // Each writer has films of its own, so the last value of each film is known.
                        int film = (int) ((seq / 4) % (FILMS / 8)) * 4 + writer + 1;
                        s.setString(1, prefix + seq);
                        s.setInt(2, film);
                        s.executeUpdate();
                        expectedInTarget.put(keyOf.get(film), prefix + seq);
                    }
                }
                legacyWritten.accumulateAndGet(System.nanoTime(), Math::max);
                return null;
            }));
        }
        if (withApi) {
            for (int w = 0; w < 8; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (long seq = nextApi.getAndIncrement(); seq < changes; seq = nextApi.getAndIncrement()) {
                        int film = FILMS / 2 + (int) ((seq / 8) % (FILMS / 16)) * 8 + writer + 1;
                        put(http, api + keyOf.get(film), "P" + seq);
                        expectedInLegacy.put(keyOf.get(film), "P" + seq);
                    }
                    apiWritten.accumulateAndGet(System.nanoTime(), Math::max);
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!holds(titles(target, targetQuery), expectedInTarget)
                || !holds(titles(legacy, "SELECT uuid, title FROM film"), expectedInLegacy)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(side + ": the changes did not all arrive within 5 minutes");
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Where the time went: the writers themselves, then the sync catching up.
        System.out.printf("  %-48s legacy writers done after %.1f s, API writers after %.1f s, the other side caught up after %.1f s%n",
                "", (legacyWritten.get() - start) / 1e9, withApi ? (apiWritten.get() - start) / 1e9 : 0, seconds);
        return (changes + (withApi ? changes : 0)) / seconds;
    }

    private static boolean holds(Map<String, String> actual, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void put(HttpClient http, String url, String title) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + url + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static Map<String, String> titles(Connection c, String query) throws SQLException {
        Map<String, String> titles = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                titles.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return titles; // the sink has not created its table yet
            }
            throw e;
        }
        return titles;
    }

    /** db-sync as users run it: `java -jar junction.jar db-sync`, configured by environment variables. */
    private static AutoCloseable dbSync(Path dir, EmbeddedKafka kafka, EmbeddedPostgres pg, EmbeddedMariaDb maria,
            String legacyDb, String targetUrl, int apiPort) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap", kafka.bootstrapServers());
        props.put("camel.management.port", String.valueOf(Ports.freePort()));
        props.put("camel.server.port", String.valueOf(apiPort));
        props.put("db-sync.legacy.host", "localhost");
        props.put("db-sync.legacy.port", String.valueOf(maria.port()));
        props.put("db-sync.legacy.database", legacyDb);
        props.put("db-sync.legacy.user", DbSyncDatabases.LEGACY_USER);
        props.put("db-sync.legacy.password", DbSyncDatabases.LEGACY_PASSWORD);
        props.put("db-sync.catalogue.url", targetUrl);
        props.put("db-sync.catalogue.user", pg.user());
        props.put("db-sync.catalogue.password", pg.password());
        props.put("db-sync.state-dir", dir.resolve("db-sync-state").toString());
        ForkedJunction junction = ForkedJunction.start(Path.of("").toAbsolutePath(), dir.resolve("db-sync.log"), props, "db-sync");
        return junction::terminate;
    }

    /** One standalone worker with two connectors: Debezium's MariaDB source and Debezium's JDBC sink. */
    private static AutoCloseable connect(Path dir, EmbeddedKafka kafka, EmbeddedPostgres pg, EmbeddedMariaDb maria,
            String legacyDb, String targetUrl) {
        Map<String, String> source = new HashMap<>();
        source.put("name", "legacy-source");
        source.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        source.put("database.hostname", "localhost");
        source.put("database.port", String.valueOf(maria.port()));
        source.put("database.user", DbSyncDatabases.LEGACY_USER);
        source.put("database.password", DbSyncDatabases.LEGACY_PASSWORD);
        source.put("database.server.id", "5499");
        source.put("database.ssl.mode", "disable");
        source.put("topic.prefix", "anchor");
        source.put("database.include.list", legacyDb);
        source.put("table.include.list", legacyDb + ".film");
        source.put("include.schema.changes", "false");
        // As db-sync's: the engine hands changes on after 10 ms, not Debezium's default 500 ms.
        source.put("poll.interval.ms", "10");
        source.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        source.put("schema.history.internal.file.filename", dir.resolve("connect-history.dat").toString());
        source.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        Map<String, String> sink = new HashMap<>();
        sink.put("name", "catalogue-sink");
        sink.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        sink.put("topics", "anchor." + legacyDb + ".film");
        sink.put("connection.url", targetUrl);
        sink.put("connection.username", pg.user());
        sink.put("connection.password", pg.password());
        sink.put("insert.mode", "upsert");
        sink.put("delete.enabled", "true");
        sink.put("primary.key.mode", "record_key");
        sink.put("schema.evolution", "basic");
        sink.put("collection.name.format", "film_copy");
        sink.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        return KafkaConnectWorker.start(dir.resolve("connect"), kafka.bootstrapServers(), List.of(source, sink));
    }
}
