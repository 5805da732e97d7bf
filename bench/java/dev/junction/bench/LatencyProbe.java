package dev.junction.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
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
 * Commit→Kafka latency at a fixed offered rate of 1,000 rows/s, from one writer or several at once: each notes its
 * commit times; a consumer notes when each row's record arrives. Both clocks are this JVM's nanoTime.
 */
final class LatencyProbe {

    private static final int ROWS_PER_TICK = 5;

    record Figures(double p50, double p99, long received) {
    }

    private LatencyProbe() {
    }

    /** Offers 1,000 rows/s for {@code seconds} from one writer, starting at sequence {@code firstSeq}; latency in ms. */
    static Figures measure(Connection writer, String bootstrap, String topic, long firstSeq, int seconds) throws Exception {
        return measure(List.of(writer), bootstrap, topic, firstSeq, seconds);
    }

    /**
     * Offers 1,000 rows/s in all for {@code seconds} from {@code writers} at once: one writer commits 5 rows every
     * 5 ms; several commit a row each, in turn (16 writers: each one row every 16 ms). Latency in ms.
     */
    static Figures measure(List<Connection> writers, String bootstrap, String topic, long firstSeq, int seconds) throws Exception {
        int total = seconds * 1000;
        int rowsPerCommit = writers.size() == 1 ? ROWS_PER_TICK : 1;
        long periodMicros = 1000L * rowsPerCommit * writers.size();
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
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(writers.size());
            List<PreparedStatement> inserts = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                Connection writer = writers.get(w);
                writer.setAutoCommit(false);
                PreparedStatement insert = writer.prepareStatement(OutboxRows.INSERT);
                inserts.add(insert);
                timer.scheduleAtFixedRate(() -> {
                    long from = next.getAndAdd(rowsPerCommit);
                    if (from >= total) {
                        return;
                    }
                    try {
                        for (int i = 0; i < rowsPerCommit; i++) {
                            OutboxRows.add(insert, firstSeq + from + i);
                        }
                        insert.executeBatch();
                        writer.commit();
                        long now = System.nanoTime();
                        for (int i = 0; i < rowsPerCommit; i++) {
                            committedAt.compareAndSet((int) (from + i), 0, now);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, w * periodMicros / writers.size(), periodMicros, TimeUnit.MICROSECONDS);
            }

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
            for (PreparedStatement insert : inserts) {
                insert.close();
            }
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
