package dev.junction.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records arriving in a topic (a consumer, read_committed: transaction markers are not
 * records) and times them from the first to the target count.
 */
final class RecordCounter implements AutoCloseable {

    private final AtomicLong count = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long firstAt;

    RecordCounter(String bootstrap, String topic) {
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-counter-" + System.nanoTime(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    int n = consumer.poll(Duration.ofMillis(50)).count();
                    if (n > 0 && firstAt == 0) {
                        firstAt = System.nanoTime();
                    }
                    count.addAndGet(n);
                }
            }
        }, "bench-counter");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for {@code target} records; returns records/s from the first one seen to the last. */
    double awaitRate(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.get() + " of " + target + " records arrived within " + timeout);
            }
            Thread.sleep(10);
        }
        return target / Math.max(1e-3, (System.nanoTime() - firstAt) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
