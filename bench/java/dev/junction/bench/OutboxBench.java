package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.EmbeddedDatabase;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.infra.Ports;
import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;

/**
 * {@code bench/run outbox}: the outbox-relay flow (routes/outbox-relay.camel.yaml, its defaults, in a JVM of its
 * own) against the anchor users deploy: Debezium's PostgreSQL and MariaDB connectors with the Outbox Event Router in
 * a Kafka Connect standalone worker (its own JVM), on tables of the same kind, in the same run. For each side and
 * database:
 * <ul>
 *   <li>throughput: a backlog of 200-byte rows over 1,000 aggregates, written while the side was stopped, drained
 *       to Kafka; rows/s over its last three quarters (the side's fresh JVM compiles its code during the first);</li>
 *   <li>latency: 1,000 rows/s offered by one writer; commit→record p50 and p99;</li>
 *   <li>the same two with 16 application writers at once: 16 connections inserting the rows concurrently in
 *       transactions of 10 while the side relays them, and 1,000 rows/s shared by 16 writers.</li>
 * </ul>
 * The broker is warmed up first; the order is Connect, Junction on PostgreSQL, then Junction, Connect on MariaDB.
 * A footnote figure: Debezium inside a Camel route (bench/routes/debezium-outbox.camel.yaml), one record per exchange.
 */
public final class OutboxBench {

    private static final String BENCH = "outbox";
    private static final int PARTITIONS = 3;
    private static final int WRITERS = 16;
    private static final int ROWS_PER_WRITER_TRANSACTION = 10;
    private static final String ANCHOR = "debezium-kafka-connect";

    private OutboxBench() {
    }

    record Figures(double throughput, LatencyProbe.Figures latency, double throughputConcurrent,
            LatencyProbe.Figures latencyConcurrent) {
    }

    /** One side under test: started, stopped, started again (it resumes where it was) on one outbox table. */
    private interface Side {
        AutoCloseable start() throws Exception;
    }

    static void run(BenchOptions options) throws Exception {
        // Any --outbox.* option of the command line is for Junction's side (e.g. --outbox.batch-size 5000).
        Map<String, String> relaySettings = new HashMap<>();
        options.values().forEach((k, v) -> {
            if (k.startsWith("outbox.")) {
                relaySettings.put(k, v);
            }
        });
        long rows = options.number("rows", 400_000, 30_000);
        int latencySeconds = (int) options.number("latency-seconds", 20, 3);
        Path dir = Files.createTempDirectory("bench-outbox");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
        EmbeddedMariaDb maria = EmbeddedMariaDb.start(dir.resolve("mariadb"), 0);
        try (TopicCounter topics = new TopicCounter(kafka.bootstrapServers())) {
            System.out.printf("outbox: %,d rows of 200 bytes over %d aggregates; latency at 1,000 rows/s for %d s;"
                    + " then the same with %d concurrent writers%n", rows, OutboxRows.AGGREGATES, latencySeconds, WRITERS);
            warmUp(kafka, topics, pg, dir, rows / 4, relaySettings);

            // --sides connect_pg,ours_pg,... runs some of them (while tuning one); RESULT lines need all four.
            List<String> sides = List.of(options.values().getOrDefault("sides",
                    "connect_pg,ours_pg,ours_mariadb,connect_mariadb").split(","));
            Map<String, Figures> figures = new HashMap<>();
            for (String name : sides) {
                boolean onPg = name.endsWith("_pg");
                EmbeddedDatabase server = onPg ? pg : maria;
                Figures f = measure(topics, kafka, server, name, rows, latencySeconds, url -> name.startsWith("ours")
                        ? () -> relay(dir, kafka, server, url, name, relaySettings)
                        : () -> KafkaConnectWorker.start(dir.resolve(name), kafka.bootstrapServers(),
                                onPg ? postgresConnector(pg, name) : mariaDbConnector(maria, name, dir.resolve(name))));
                figures.put(name, f);
                print((name.startsWith("ours") ? "Junction outbox-relay, " : "Debezium + Outbox Event Router in Kafka Connect, ")
                        + (onPg ? "PostgreSQL" : "MariaDB"), f);
            }
            if (figures.size() < 4) {
                return;
            }
            double camelWrapped = camelWrappedDebezium(kafka, topics, pg, dir, rows / 4);
            System.out.printf("  footnote: Debezium PostgreSQL inside a Camel route (one record per exchange): %,.0f rows/s%n",
                    camelWrapped);

            results("", figures.get("ours_pg"), figures.get("connect_pg"));
            results("_mariadb", figures.get("ours_mariadb"), figures.get("connect_mariadb"));
        } finally {
            maria.close();
            pg.close();
            kafka.closeAndDelete();
        }
    }

    private static void results(String suffix, Figures ours, Figures anchor) {
        Result.print(BENCH, "throughput" + suffix, ours.throughput(), "rows/s", ANCHOR, anchor.throughput(), "higher");
        Result.print(BENCH, "latency_p50" + suffix, ours.latency().p50(), "ms", ANCHOR, anchor.latency().p50(), "lower");
        Result.print(BENCH, "latency_p99" + suffix, ours.latency().p99(), "ms", ANCHOR, anchor.latency().p99(), "lower");
        Result.print(BENCH, "throughput_16_writers" + suffix, ours.throughputConcurrent(), "rows/s", ANCHOR,
                anchor.throughputConcurrent(), "higher");
        Result.print(BENCH, "latency_p99_16_writers" + suffix, ours.latencyConcurrent().p99(), "ms", ANCHOR,
                anchor.latencyConcurrent().p99(), "lower");
    }

    private static void print(String what, Figures f) {
        System.out.printf("  %-56s backlog %,8.0f rows/s, p50 %5.1f p99 %6.1f ms | 16 writers %,8.0f rows/s, p50 %5.1f p99 %6.1f ms%n",
                what, f.throughput(), f.latency().p50(), f.latency().p99(), f.throughputConcurrent(),
                f.latencyConcurrent().p50(), f.latencyConcurrent().p99());
    }

    /** A new database with an outbox table; returns its JDBC URL. */
    private static String outboxDatabase(EmbeddedDatabase server, String name) throws Exception {
        server.createDatabase(name);
        String url = server.jdbcUrl(name);
        new OutboxMaintenance(OutboxConfiguration.of(url, server.user(), server.password(), "outbox")).initSchema();
        return url;
    }

    /**
     * Every phase of one side on a table of its own: started once until a probe row comes through (Debezium creates
     * its slot or reads the binlog position), stopped while the backlog is written, started again to drain it,
     * then latency, then the concurrent writers.
     */
    private static Figures measure(TopicCounter topics, EmbeddedKafka kafka, EmbeddedDatabase server, String name,
            long rows, int latencySeconds, java.util.function.Function<String, Side> sideOf) throws Exception {
        String url = outboxDatabase(server, name);
        String topic = name + ".order";
        topics.create(topic, PARTITIONS);
        Side side = sideOf.apply(url);
        try (AutoCloseable first = side.start(); Connection writer = OutboxRows.connect(server, url)) {
            awaitStreaming(topics, writer, topic, name);
        }
        long before = topics.count(topic);
        try (Connection writer = OutboxRows.connect(server, url)) {
            OutboxRows.insert(writer, 0, rows, 1000);
        }
        try (AutoCloseable running = side.start();
             Connection writer = OutboxRows.connect(server, url)) {
            // The steady state: the rate over the backlog's last three quarters, after the fresh JVM's JIT warm-up.
            double throughput = topics.awaitRate(topic, before + rows / 4, before + rows, Duration.ofMinutes(20));
            LatencyProbe.Figures latency = LatencyProbe.measure(writer, kafka.bootstrapServers(), topic, rows, latencySeconds);

            long already = topics.count(topic);
            long concurrentFrom = 10_000_000L;
            double[] commitRate = new double[1];
            Thread writers = new Thread(() -> {
                try {
                    commitRate[0] = OutboxRows.insertConcurrently(server, url, concurrentFrom, rows, WRITERS, ROWS_PER_WRITER_TRANSACTION);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writers.start();
            double throughputConcurrent = topics.awaitRate(topic, already, already + rows, Duration.ofMinutes(20));
            writers.join();
            System.out.printf("    %s: %d writers committed %,.0f rows/s%n", name, WRITERS, commitRate[0]);

            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < WRITERS; i++) {
                    connections.add(OutboxRows.connect(server, url));
                }
                LatencyProbe.Figures latencyConcurrent = LatencyProbe.measure(connections, kafka.bootstrapServers(),
                        topic, 20_000_000L, latencySeconds);
                return new Figures(throughput, latency, throughputConcurrent, latencyConcurrent);
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }

    /**
     * Writes a probe row every half second until one reaches {@code topic}: the side streams (Debezium has made its
     * slot or read the binlog position). Probe rows carry sequence numbers that no measurement uses.
     */
    private static void awaitStreaming(TopicCounter topics, Connection writer, String topic, String name) throws Exception {
        long probe = 50_000_000L;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (topics.count(topic) == 0 && System.nanoTime() < deadline) {
            OutboxRows.insert(writer, probe++, 1, 1);
            Thread.sleep(500); // a start-up, not a result
        }
        if (topics.count(topic) == 0) {
            throw new IllegalStateException(name + " did not start streaming within 3 minutes");
        }
    }

    /** Junction as users run it: its own JVM, the shipped route, its defaults, configured by environment variables. */
    private static AutoCloseable relay(Path dir, EmbeddedKafka kafka, EmbeddedDatabase server, String url, String name,
            Map<String, String> relaySettings) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "kafka.bootstrap", kafka.bootstrapServers(),
                "camel.management.port", String.valueOf(Ports.freePort()),
                "db.url", url, "db.user", server.user(), "db.password", server.password(),
                "outbox.topic-pattern", name + ".${aggregate_type}",
                "outbox.cleanup.enabled", "false"));
        relaySettings.forEach(props::putIfAbsent);
        ForkedJunction relay = ForkedJunction.start(dir.resolve(name + "-" + System.nanoTime() + ".log"), props,
                "run", "--routes", Path.of("routes/outbox-relay.camel.yaml").toAbsolutePath().toString());
        return () -> {
            relay.terminate();
        };
    }

    /** The warm-up: the broker's first hundred thousand records are slower than its later ones, for whichever side. */
    private static void warmUp(EmbeddedKafka kafka, TopicCounter topics, EmbeddedPostgres pg, Path dir, long rows,
            Map<String, String> relaySettings) throws Exception {
        String url = outboxDatabase(pg, "warm_up");
        String topic = "warm_up.order";
        topics.create(topic, PARTITIONS);
        try (Connection c = OutboxRows.connect(pg, url)) {
            OutboxRows.insert(c, 0, rows, 1000);
        }
        try (AutoCloseable relay = relay(dir, kafka, pg, url, "warm_up", relaySettings)) {
            topics.awaitRate(topic, rows, Duration.ofMinutes(10));
        }
    }

    /** Debezium's outbox router as users configure it, on PostgreSQL's logical replication (pgoutput). */
    private static Map<String, String> postgresConnector(EmbeddedPostgres pg, String db) {
        Map<String, String> c = outboxRouter("io.debezium.connector.postgresql.PostgresConnector", pg, pg.port(), db);
        c.put("database.dbname", db);
        c.put("table.include.list", "public.outbox");
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", db);
        c.put("publication.name", db + "_pub");
        c.put("publication.autocreate.mode", "filtered");
        return c;
    }

    /** The same for MariaDB's binlog, with Debezium's MariaDB connector (its MySQL connector skips rows there). */
    private static Map<String, String> mariaDbConnector(EmbeddedMariaDb maria, String db, Path dir) {
        Map<String, String> c = outboxRouter("io.debezium.connector.mariadb.MariaDbConnector", maria, maria.port(), db);
        c.put("database.server.id", "5401");
        c.put("database.include.list", db);
        c.put("table.include.list", db + ".outbox");
        c.put("database.ssl.mode", "disable");
        // Schema change events would go to a topic of their own as structs that the byte-array value converter refuses.
        c.put("include.schema.changes", "false");
        c.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        c.put("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
        return c;
    }

    /** What both connectors share: the database to read, and the outbox router writing to {@code db}.order. */
    private static Map<String, String> outboxRouter(String connectorClass, EmbeddedDatabase server, int port, String db) {
        Map<String, String> c = new HashMap<>();
        c.put("name", db);
        c.put("connector.class", connectorClass);
        c.put("database.hostname", "localhost");
        c.put("database.port", String.valueOf(port));
        c.put("database.user", server.user());
        c.put("database.password", server.password());
        c.put("tasks.max", "1");
        c.put("topic.prefix", "dbz_" + db);
        c.put("snapshot.mode", "no_data");
        // Debezium's throughput settings, raised as its docs suggest for a busy table.
        c.put("max.batch.size", "8192");
        c.put("max.queue.size", "32768");
        c.put("poll.interval.ms", "10");
        c.put("transforms", "outbox");
        c.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        c.put("transforms.outbox.table.field.event.id", "event_id");
        c.put("transforms.outbox.table.field.event.key", "aggregate_id");
        c.put("transforms.outbox.table.field.event.payload", "payload");
        c.put("transforms.outbox.table.fields.additional.placement", "event_type:header:event_type");
        c.put("transforms.outbox.route.by.field", "aggregate_type");
        c.put("transforms.outbox.route.topic.replacement", db + ".${routedByValue}");
        return c;
    }

    /** Footnote: Debezium in Camel's debezium-postgres consumer, each routed event produced on its own. */
    private static double camelWrappedDebezium(EmbeddedKafka kafka, TopicCounter topics, EmbeddedPostgres pg, Path dir,
            long rows) throws Exception {
        String db = "anchor_debezium";
        String url = outboxDatabase(pg, db);
        String topic = db + ".order";
        topics.create(topic, PARTITIONS);
        JunctionConfig config = JunctionConfig.load(Map.of(), Map.of(
                "kafka.bootstrap", kafka.bootstrapServers(),
                "camel.management.enabled", "false",
                "bench.pg.port", String.valueOf(pg.port()),
                "bench.pg.db", db,
                "bench.dbz.slot", "bench_outbox",
                "bench.dbz.offsets", dir.resolve("debezium-offsets.dat").toString(),
                "bench.topic.prefix", db));
        try (JunctionRuntime runtime = JunctionRuntime.start(config, List.of(Path.of("bench/routes/debezium-outbox.camel.yaml")), false);
             Connection writer = OutboxRows.connect(pg, url)) {
            var routes = runtime.camelContext().getRouteController();
            routes.startRoute("debezium-outbox");
            awaitStreaming(topics, writer, topic, "the Camel-wrapped Debezium");
            routes.stopRoute("debezium-outbox");
            long before = topics.count(topic);
            OutboxRows.insert(writer, 0, rows, 1000);
            routes.startRoute("debezium-outbox");
            return topics.awaitRate(topic, before, before + rows, Duration.ofMinutes(20));
        }
    }
}
