package dev.junction.bench;

import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Commit→Kafka latency at a fixed offered rate: a writer commits 5 rows every 5 ms and notes each commit time;
 * a consumer notes when each row's record arrives. Both clocks are this JVM's nanoTime.
 */
final class LatencyProbe {

    private static final int ROWS_PER_TICK = 5;
    private static final int TICK_MS = 5;

    record Figures(double p50, double p99, long received) {
    }

    private LatencyProbe() {
    }

    /** Offers 1,000 rows/s for {@code seconds} starting at sequence {@code firstSeq}; returns latency in ms. */
    static Figures measure(Connection writer, String bootstrap, String topic, long firstSeq, int seconds) throws Exception {
        int total = seconds * 1000;
        AtomicLongArray committedAt = new AtomicLongArray(total);
        AtomicLongArray receivedAt = new AtomicLongArray(total);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            AtomicLong next = new AtomicLong();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            writer.setAutoCommit(false);
            var insert = writer.prepareStatement("INSERT INTO outbox (aggregate_type, aggregate_id, event_type, payload)"
                    + " VALUES ('order', ?, 'OrderChanged', ?)");
            timer.scheduleAtFixedRate(() -> {
                long from = next.get();
                if (from >= total) {
                    return;
                }
                try {
                    for (int i = 0; i < ROWS_PER_TICK; i++) {
                        long seq = firstSeq + from + i;
                        insert.setString(1, "order-" + (seq % OutboxRows.AGGREGATES));
                        insert.setBytes(2, OutboxRows.payload(seq));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    writer.commit();
                    long now = System.nanoTime();
                    for (int i = 0; i < ROWS_PER_TICK; i++) {
                        committedAt.compareAndSet((int) (from + i), 0, now);
                    }
                    next.addAndGet(ROWS_PER_TICK);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, TICK_MS, TimeUnit.MILLISECONDS);

            long received = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
            while (received < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    int index = (int) (OutboxRows.seqOf(r.value()) - firstSeq);
                    if (index >= 0 && index < total && receivedAt.compareAndSet(index, 0, now)) {
                        received++;
                    }
                }
            }
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            insert.close();
            double[] ms = new double[(int) received];
            int k = 0;
            for (int i = 0; i < total && k < ms.length; i++) {
                if (receivedAt.get(i) != 0) {
                    // A record can arrive before the writer noted its commit time: its latency is then ~0.
                    long commit = committedAt.get(i) == 0 ? receivedAt.get(i) : committedAt.get(i);
                    ms[k++] = Math.max(0, receivedAt.get(i) - commit) / 1e6;
                }
            }
            Arrays.sort(ms);
            return new Figures(percentile(ms, 0.50), percentile(ms, 0.99), received);
        }
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
