package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.quic.SelfSignedCertificates;
import dev.junction.quicsync.LoopbackLink;
import dev.junction.testing.ForkedJunction;

/**
 * {@code bench/run quic-sync}: records/s mirrored end to end between two embedded clusters on loopback, 200-byte
 * records in a 3-partition topic: Junction's quic-sync routes (sender and receiver routes in one Junction process
 * of its own, real QUIC between them) against the anchor,
 * Kafka MirrorMaker 2 ({@code connect-mirror} 4.1.1, dedicated mode, its own JVM, tasks.max = partitions).
 * After a warm-up of the brokers, by default each side runs twice, in the order Junction, MirrorMaker 2,
 * MirrorMaker 2, Junction; each run mirrors
 * a topic of its own, produced beforehand by ProducerPerformance; arrivals are counted by a read_committed consumer
 * on the destination, from the first record to the last.
 */
public final class QuicSyncBench {

    private static final String BENCH = "quic-sync";
    private static final int PARTITIONS = 3;

    private QuicSyncBench() {
    }

    static void run(BenchOptions options) throws Exception {
        long records = options.number("records", 100_000, 30_000);
        // The brokers run in this JVM: a side that runs after the other finds their code compiled by the JIT
        // (worth 15-25% here). So the brokers are warmed up first with Kafka's own tools (neither side's code), and
        // by default the sides run ours-anchor-anchor-ours; each side's figure is the mean of its runs.
        List<Side> order = Side.order(options);
        Path dir = Files.createTempDirectory("bench-quic-sync");
        EmbeddedKafka source = EmbeddedKafka.start(dir.resolve("kafka-a"), 0);
        EmbeddedKafka destination = EmbeddedKafka.start(dir.resolve("kafka-b"), 0);
        try (TopicCounter topics = new TopicCounter(source.bootstrapServers())) {
            System.out.printf("quic-sync: %,d records of 200 bytes, %d partitions, %s -> %s, order %s%n", records, PARTITIONS,
                    source.bootstrapServers(), destination.bootstrapServers(), order);
            for (int i = 0; i < order.size(); i++) {
                topics.create(topic(order.get(i), i), PARTITIONS);
                KafkaPerfTools.produce(source.bootstrapServers(), topic(order.get(i), i), records, 200);
            }
            warmUpBrokers(source, destination, records);
            List<Double> ours = new ArrayList<>();
            List<Double> mm2 = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                String topic = topic(order.get(i), i);
                if (order.get(i) == Side.OURS) {
                    ours.add(quicSync(dir, source, destination, topic, records, options));
                    System.out.printf("  run %d: Junction quic-sync (QUIC on loopback)   %,10.0f records/s%n", i + 1, ours.get(ours.size() - 1));
                } else {
                    mm2.add(mirrorMaker(dir, source, destination, topic, records));
                    System.out.printf("  run %d: MirrorMaker 2 (tasks.max=%d)            %,10.0f records/s%n", i + 1, PARTITIONS, mm2.get(mm2.size() - 1));
                }
            }
            double oursMean = mean(ours);
            double mm2Mean = mean(mm2);
            System.out.printf("  mean: Junction %,.0f, MirrorMaker 2 %,.0f records/s (ratio %.2f)%n", oursMean, mm2Mean, oursMean / mm2Mean);
            Result.print(BENCH, "throughput", oursMean, "records/s", "mirrormaker2", mm2Mean, "higher");
        } finally {
            destination.closeAndDelete();
            source.closeAndDelete();
        }
    }

    /**
     * Runs the brokers' paths both sides use, with Kafka's own tools: reading the source, writing the destination
     * plainly (MirrorMaker 2) and in transactions (Junction's receiver), and reading it read_committed.
     */
    private static void warmUpBrokers(EmbeddedKafka source, EmbeddedKafka destination, long records) throws Exception {
        long start = System.nanoTime();
        KafkaPerfTools.consume(source.bootstrapServers(), topic(Side.OURS, 0), records);
        try (TopicCounter destinationTopics = new TopicCounter(destination.bootstrapServers())) {
            destinationTopics.create("bench-warmup-plain", PARTITIONS);
            destinationTopics.create("bench-warmup-transactional", PARTITIONS);
        }
        KafkaPerfTools.produce(destination.bootstrapServers(), "bench-warmup-plain", 2 * records, 200);
        KafkaPerfTools.produceTransactionally(destination.bootstrapServers(), "bench-warmup-transactional", 2 * records, 200, 100);
        try (RecordCounter reader = new RecordCounter(destination.bootstrapServers(), "bench-warmup-transactional")) {
            reader.awaitRate(2 * records, Duration.ofMinutes(5));
        }
        System.out.printf("  brokers warmed up with Kafka's tools in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Each run mirrors a topic of its own, produced before the first run. */
    private static String topic(Side side, int run) {
        return (side == Side.OURS ? "bench-qs-" : "bench-mm2-") + (run + 1);
    }

    private static double mean(List<Double> rates) {
        return rates.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Junction runs as a user runs it, in a JVM of its own (as MirrorMaker 2 does), with both routes. */
    private static double quicSync(Path dir, EmbeddedKafka source, EmbeddedKafka destination, String topic, long records,
            BenchOptions options) throws Exception {
        SelfSignedCertificates.Files3 certs = SelfSignedCertificates.generate(dir.resolve("certs"), "EC");
        Map<String, String> p = LoopbackLink.both(Ports.freePort(), certs, "bench-token");
        p.put("camel.management.enabled", "false");
        p.put("kafka.bootstrap", source.bootstrapServers());
        p.put("quic-sync.destination.bootstrap", destination.bootstrapServers());
        p.put("quic-sync.topics.include", topic);
        options.values().forEach((k, v) -> { if (k.startsWith("quic-sync.")) { p.put(k, v); } });
        try (RecordCounter arrivals = new RecordCounter(destination.bootstrapServers(), topic);
             ForkedJunction junction = ForkedJunction.start(dir.resolve(topic + ".junction.log"), p,
                     "run", "--routes", "routes/quic-sync-receiver.camel.yaml,routes/quic-sync-sender.camel.yaml")) {
            try {
                double rate = arrivals.awaitRate(records, Duration.ofMinutes(20));
                junction.terminate(); // a clean stop, so a JFR recording (FORKED_JUNCTION_JVM_OPTIONS) is written
                return rate;
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; Junction's log: " + dir.resolve(topic + ".junction.log"), e);
            }
        }
    }

    private static double mirrorMaker(Path dir, EmbeddedKafka source, EmbeddedKafka destination, String topic, long records)
            throws Exception {
        Path config = dir.resolve("mm2.properties");
        Files.writeString(config, MirrorMakerConfig.oneTopic(source.bootstrapServers(), destination.bootstrapServers(), topic,
                PARTITIONS));
        Path log = dir.resolve(topic + ".mm2.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.connect.mirror.MirrorMaker",
                config.toString()));
        Process mm2 = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (RecordCounter arrivals = new RecordCounter(destination.bootstrapServers(), "A." + topic)) {
            return arrivals.awaitRate(records, Duration.ofMinutes(20));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; MirrorMaker log: " + log, e);
        } finally {
            mm2.destroy();
            mm2.waitFor();
        }
    }
}
