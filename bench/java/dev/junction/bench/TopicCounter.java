package dev.junction.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.junction.support.KafkaProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Counts the records in a topic (sum of its partitions' end offsets) and times how fast that count grows. */
public final class TopicCounter implements AutoCloseable {

    private final Admin admin;

    public TopicCounter(String bootstrap) {
        this.admin = Admin.create(KafkaProbe.quickAdminConfig(bootstrap, Duration.ofSeconds(10)));
    }

    public void create(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    public long count(String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    /**
     * Waits until {@code topic} holds {@code target} records and returns the rate at which they arrived,
     * in records/s, from the first record seen to the last (start-up time is not counted).
     */
    public double awaitRate(String topic, long target, Duration timeout) throws Exception {
        return awaitRate(topic, 0, target, timeout);
    }

    /** As {@link #awaitRate(String, long, Duration)}, counting only records after the first {@code already}. */
    public double awaitRate(String topic, long already, long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstAt = 0;
        long firstCount = 0;
        while (System.nanoTime() < deadline) {
            long count = count(topic);
            long now = System.nanoTime();
            if (firstAt == 0 && count > already) {
                firstAt = now;
                firstCount = count;
            }
            if (count >= target) {
                return (count - firstCount) / Math.max(1e-3, (now - firstAt) / 1e9);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(topic + " did not reach " + target + " records within " + timeout
                + " (has " + count(topic) + ")");
    }

    @Override
    public void close() {
        admin.close();
    }

}
