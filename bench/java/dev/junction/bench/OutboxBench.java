package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.EmbeddedDatabase;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.runtime.JunctionRuntime;

/**
 * {@code bench/run outbox}: the outbox-relay flow (routes/outbox-relay.camel.yaml, its defaults) against the anchor,
 * Debezium CDC of the same kind of table with Debezium's Outbox Event Router (bench/routes/debezium-outbox.camel.yaml).
 * <ul>
 *   <li>throughput: a backlog of 200-byte rows over 1,000 aggregates is drained to Kafka; rows/s from the first
 *       record to the last;</li>
 *   <li>latency: 1,000 rows/s offered for a while; commit→record p50 and p99.</li>
 * </ul>
 * Each side has a database of its own on one embedded PostgreSQL, and the same broker. MariaDB: ours only (the
 * Debezium anchor here is PostgreSQL's connector).
 */
public final class OutboxBench {

    private static final String BENCH = "outbox";
    private static final int PARTITIONS = 3;

    private OutboxBench() {
    }

    record Figures(double throughput, LatencyProbe.Figures latency) {
    }

    static void run(BenchOptions options) throws Exception {
        long rows = options.number("rows", 200_000, 40_000);
        int latencySeconds = (int) options.number("latency-seconds", 20, 6);
        Path dir = Files.createTempDirectory("bench-outbox");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
        EmbeddedMariaDb maria = EmbeddedMariaDb.start(dir.resolve("mariadb"), 0);
        try (TopicCounter topics = new TopicCounter(kafka.bootstrapServers())) {
            System.out.printf("outbox: %,d rows of 200 bytes over %d aggregates; latency at 1,000 rows/s for %d s%n",
                    rows, OutboxRows.AGGREGATES, latencySeconds);
            Figures oursPg = relay(kafka, topics, pg, "ours_pg", rows, latencySeconds);
            print("Junction outbox-relay, PostgreSQL", oursPg);
            Figures debezium = debezium(kafka, topics, pg, dir, rows, latencySeconds);
            print("Debezium + Outbox Event Router, PostgreSQL", debezium);
            Figures oursMaria = relay(kafka, topics, maria, "ours_mariadb", rows, latencySeconds);
            print("Junction outbox-relay, MariaDB", oursMaria);

            String anchor = "debezium-outbox-router";
            Result.print(BENCH, "throughput", oursPg.throughput(), "rows/s", anchor, debezium.throughput(), "higher");
            Result.print(BENCH, "latency_p50", oursPg.latency().p50(), "ms", anchor, debezium.latency().p50(), "lower");
            Result.print(BENCH, "latency_p99", oursPg.latency().p99(), "ms", anchor, debezium.latency().p99(), "lower");
            Result.print(BENCH, "throughput_mariadb", oursMaria.throughput(), "rows/s", "none", 0, "higher");
            Result.print(BENCH, "latency_p99_mariadb", oursMaria.latency().p99(), "ms", "none", 0, "lower");
        } finally {
            maria.close();
            pg.close();
            kafka.closeAndDelete();
        }
    }

    private static void print(String what, Figures f) {
        System.out.printf("  %-44s %,10.0f rows/s   latency p50 %6.1f ms  p99 %6.1f ms (%,d received)%n",
                what, f.throughput(), f.latency().p50(), f.latency().p99(), f.latency().received());
    }

    /** A new database with an outbox table; returns its JDBC URL. */
    private static String outboxDatabase(EmbeddedDatabase server, String name) throws Exception {
        server.createDatabase(name);
        String url = server.jdbcUrl(name);
        new OutboxMaintenance(OutboxConfiguration.of(url, server.user(), server.password(), "outbox")).initSchema();
        return url;
    }

    private static Figures relay(EmbeddedKafka kafka, TopicCounter topics, EmbeddedDatabase server, String name,
            long rows, int latencySeconds) throws Exception {
        String url = outboxDatabase(server, name);
        String topic = name + ".order";
        topics.create(topic, PARTITIONS);
        try (Connection c = OutboxRows.connect(server, url)) {
            OutboxRows.insert(c, 0, rows, 1000);
        }
        Map<String, String> props = new HashMap<>(Map.of(
                "kafka.bootstrap", kafka.bootstrapServers(),
                "camel.management.enabled", "false",
                "db.url", url, "db.user", server.user(), "db.password", server.password(),
                "outbox.topic-pattern", name + ".${aggregate_type}"));
        JunctionConfig config = JunctionConfig.load(Map.of(), props);
        try (JunctionRuntime relay = JunctionRuntime.start(config, List.of(Path.of("routes/outbox-relay.camel.yaml")), false);
             Connection writer = OutboxRows.connect(server, url)) {
            double throughput = topics.awaitRate(topic, rows, Duration.ofMinutes(20));
            LatencyProbe.Figures latency = LatencyProbe.measure(writer, kafka.bootstrapServers(), topic, rows, latencySeconds);
            return new Figures(throughput, latency);
        }
    }

    private static Figures debezium(EmbeddedKafka kafka, TopicCounter topics, EmbeddedPostgres pg, Path dir,
            long rows, int latencySeconds) throws Exception {
        String db = "anchor_debezium";
        String url = outboxDatabase(pg, db);
        String prefix = "anchor_debezium";
        String topic = prefix + ".order";
        topics.create(topic, PARTITIONS);
        JunctionConfig config = JunctionConfig.load(Map.of(), Map.of(
                "kafka.bootstrap", kafka.bootstrapServers(),
                "camel.management.enabled", "false",
                "bench.pg.port", String.valueOf(pg.port()),
                "bench.pg.db", db,
                "bench.dbz.slot", "bench_outbox",
                "bench.dbz.offsets", dir.resolve("debezium-offsets.dat").toString(),
                "bench.topic.prefix", prefix));
        try (JunctionRuntime runtime = JunctionRuntime.start(config, List.of(Path.of("bench/routes/debezium-outbox.camel.yaml")), false);
             Connection writer = OutboxRows.connect(pg, url)) {
            var routes = runtime.camelContext().getRouteController();
            // First start: Debezium creates its replication slot and publication; a probe row shows it streams.
            routes.startRoute("debezium-outbox");
            long probe = rows + 10_000_000L;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (topics.count(topic) == 0 && System.nanoTime() < deadline) {
                OutboxRows.insert(writer, probe++, 1, 1);
                Thread.sleep(500);
            }
            if (topics.count(topic) == 0) {
                throw new IllegalStateException("Debezium did not start streaming within 2 minutes");
            }
            // Stopped, it keeps its slot: the backlog written now is what it drains on restart, as ours did.
            routes.stopRoute("debezium-outbox");
            long before = topics.count(topic);
            OutboxRows.insert(writer, 0, rows, 1000);
            routes.startRoute("debezium-outbox");
            double throughput = topics.awaitRate(topic, before + rows, Duration.ofMinutes(20));
            LatencyProbe.Figures latency = LatencyProbe.measure(writer, kafka.bootstrapServers(), topic, rows, latencySeconds);
            return new Figures(throughput, latency);
        }
    }
}
