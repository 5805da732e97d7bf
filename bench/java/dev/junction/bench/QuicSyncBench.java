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
 * records in a 3-partition topic: Junction's quic-sync routes (sender and receiver, each in its own Junction process,
 * real QUIC between them) against the anchor,
 * Kafka MirrorMaker 2 ({@code connect-mirror} 4.1.1, dedicated mode, its own JVM, tasks.max = partitions).
 * Each side mirrors a topic of its own, produced beforehand by ProducerPerformance; arrivals are counted by a
 * read_committed consumer on the destination, from the first record to the last.
 */
public final class QuicSyncBench {

    private static final String BENCH = "quic-sync";
    private static final int PARTITIONS = 3;

    private QuicSyncBench() {
    }

    static void run(BenchOptions options) throws Exception {
        long records = options.number("records", 100_000, 30_000);
        Path dir = Files.createTempDirectory("bench-quic-sync");
        EmbeddedKafka source = EmbeddedKafka.start(dir.resolve("kafka-a"), 0);
        EmbeddedKafka destination = EmbeddedKafka.start(dir.resolve("kafka-b"), 0);
        try (TopicCounter topics = new TopicCounter(source.bootstrapServers())) {
            System.out.printf("quic-sync: %,d records of 200 bytes, %d partitions, %s -> %s%n", records, PARTITIONS,
                    source.bootstrapServers(), destination.bootstrapServers());
            topics.create("bench-qs", PARTITIONS);
            topics.create("bench-mm2", PARTITIONS);
            KafkaPerfTools.produce(source.bootstrapServers(), "bench-qs", records, 200);
            KafkaPerfTools.produce(source.bootstrapServers(), "bench-mm2", records, 200);

            // The brokers run in this JVM: whichever side runs second finds their code compiled by the JIT.
            // --order anchor-first swaps the two, to see how much that is worth.
            boolean anchorFirst = "anchor-first".equals(options.values().getOrDefault("order", "ours-first"));
            double mm2 = anchorFirst ? mirrorMaker(dir, source, destination, records) : 0;
            double ours = quicSync(dir, source, destination, records, options);
            System.out.printf("  Junction quic-sync (QUIC on loopback)          %,10.0f records/s%n", ours);
            if (!anchorFirst) {
                mm2 = mirrorMaker(dir, source, destination, records);
            }
            System.out.printf("  MirrorMaker 2 (tasks.max=%d)                   %,10.0f records/s%s%n", PARTITIONS, mm2,
                    anchorFirst ? " (run first)" : "");
            Result.print(BENCH, "throughput", ours, "records/s", "mirrormaker2", mm2, "higher");
        } finally {
            destination.closeAndDelete();
            source.closeAndDelete();
        }
    }

    /** Junction runs as a user runs it, in a JVM of its own (as MirrorMaker 2 does), with both routes. */
    private static double quicSync(Path dir, EmbeddedKafka source, EmbeddedKafka destination, long records, BenchOptions options) throws Exception {
        SelfSignedCertificates.Files3 certs = SelfSignedCertificates.generate(dir.resolve("certs"), "EC");
        Map<String, String> p = LoopbackLink.both(Ports.freePort(), certs, "bench-token");
        p.put("camel.management.enabled", "false");
        p.put("kafka.bootstrap", source.bootstrapServers());
        p.put("quic-sync.destination.bootstrap", destination.bootstrapServers());
        p.put("quic-sync.topics.include", "bench-qs");
        options.values().forEach((k, v) -> { if (k.startsWith("quic-sync.")) { p.put(k, v); } });
        try (RecordCounter arrivals = new RecordCounter(destination.bootstrapServers(), "bench-qs");
             ForkedJunction junction = ForkedJunction.start(dir.resolve("junction.log"), p,
                     "run", "--routes", "routes/quic-sync-receiver.camel.yaml,routes/quic-sync-sender.camel.yaml")) {
            try {
                double rate = arrivals.awaitRate(records, Duration.ofMinutes(20));
                junction.terminate(); // a clean stop, so a JFR recording (FORKED_JUNCTION_JVM_OPTIONS) is written
                return rate;
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; Junction's log: " + dir.resolve("junction.log"), e);
            }
        }
    }

    private static double mirrorMaker(Path dir, EmbeddedKafka source, EmbeddedKafka destination, long records) throws Exception {
        Path config = dir.resolve("mm2.properties");
        Files.writeString(config, String.join("\n",
                "clusters = A, B",
                "A.bootstrap.servers = " + source.bootstrapServers(),
                "B.bootstrap.servers = " + destination.bootstrapServers(),
                "A->B.enabled = true",
                "A->B.topics = bench-mm2",
                "B->A.enabled = false",
                "tasks.max = " + PARTITIONS,
                "replication.factor = 1",
                "offset-syncs.topic.replication.factor = 1",
                "checkpoints.topic.replication.factor = 1",
                "heartbeats.topic.replication.factor = 1",
                "config.storage.replication.factor = 1",
                "offset.storage.replication.factor = 1",
                "status.storage.replication.factor = 1",
                "emit.heartbeats.enabled = false",
                "emit.checkpoints.enabled = false",
                "sync.group.offsets.enabled = false",
                "refresh.topics.interval.seconds = 2",
                ""));
        Path log = dir.resolve("mm2.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.connect.mirror.MirrorMaker",
                config.toString()));
        Process mm2 = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (RecordCounter arrivals = new RecordCounter(destination.bootstrapServers(), "A.bench-mm2")) {
            return arrivals.awaitRate(records, Duration.ofMinutes(20));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; MirrorMaker log: " + log, e);
        } finally {
            mm2.destroy();
            mm2.waitFor();
        }
    }
}
