package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.runtime.JunctionRuntime;

/**
 * {@code bench/run kafka-baseline}: the ceiling every flow is compared with on this machine.
 * <p>
 * 200-byte records go into the embedded broker with Kafka's ProducerPerformance and are read back with
 * ConsumerPerformance (the anchor); then plain Camel kafka→kafka routes (bench/routes/) copy them to another
 * topic, once record by record (Camel's defaults) and once in batches (consumer batching, Iterable body to the
 * producer). Ours is the Camel route; the anchor is the slower of Kafka's two tools, the best a pipe can do.
 */
public final class KafkaBaselineBench {

    private static final String BENCH = "kafka-baseline";
    private static final int RECORD_SIZE = 200;
    private static final int PARTITIONS = 3;

    private KafkaBaselineBench() {
    }

    static void run(BenchOptions options) throws Exception {
        long records = options.number("records", 1_000_000, 200_000);
        Path dir = Files.createTempDirectory("bench-kafka-baseline");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
        try (TopicCounter topics = new TopicCounter(kafka.bootstrapServers())) {
            String bootstrap = kafka.bootstrapServers();
            topics.create("bench-in", PARTITIONS);
            System.out.printf("kafka-baseline: %,d records of %d bytes, %d partitions, broker %s%n",
                    records, RECORD_SIZE, PARTITIONS, bootstrap);

            double producerTool = KafkaPerfTools.produce(bootstrap, "bench-in", records, RECORD_SIZE);
            System.out.printf("  ProducerPerformance        %,12.0f records/s%n", producerTool);
            double consumerTool = KafkaPerfTools.consume(bootstrap, "bench-in", records);
            System.out.printf("  ConsumerPerformance        %,12.0f records/s%n", consumerTool);
            double plain = relay(topics, bootstrap, "kafka-relay.camel.yaml", "bench-out-plain", records);
            System.out.printf("  Camel route, per record    %,12.0f records/s%n", plain);
            double batched = relay(topics, bootstrap, "kafka-relay-batched.camel.yaml", "bench-out-batched", records);
            System.out.printf("  Camel route, batched       %,12.0f records/s%n", batched);

            double anchor = Math.min(producerTool, consumerTool);
            Result.print(BENCH, "throughput", batched, "records/s", "kafka-perf-tools", anchor, "higher");
            Result.print(BENCH, "throughput_per_record", plain, "records/s", "kafka-perf-tools", anchor, "higher");
            Result.print(BENCH, "producer_perf", producerTool, "records/s", "none", 0, "higher");
            Result.print(BENCH, "consumer_perf", consumerTool, "records/s", "none", 0, "higher");
        } finally {
            kafka.closeAndDelete();
        }
    }

    /** Runs one relay route file from bench/routes until the output topic holds every record; returns records/s. */
    private static double relay(TopicCounter topics, String bootstrap, String routeFile, String out, long records)
            throws Exception {
        topics.create(out, PARTITIONS);
        JunctionConfig config = JunctionConfig.load(Map.of(), Map.of(
                "kafka.bootstrap", bootstrap,
                "camel.management.enabled", "false",
                "bench.in", "bench-in",
                "bench.out", out,
                "bench.group", "relay-" + out));
        try (JunctionRuntime runtime = JunctionRuntime.start(config, List.of(Path.of("bench/routes", routeFile)), false)) {
            return topics.awaitRate(out, records, Duration.ofMinutes(20));
        }
    }
}
