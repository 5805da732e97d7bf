package dev.junction.observe;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How many records a consumer group has yet to read: end offsets minus committed offsets, summed. */
public final class ConsumerGroupLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final Admin admin;

    public ConsumerGroupLag(KafkaCluster cluster) {
        this.admin = Admin.create(KafkaProbe.quickAdminConfig(cluster, TIMEOUT));
    }

    /** The group's total lag, or -1 when the cluster did not answer in time. */
    public long lag(String groupId) {
        Map<TopicPartition, Long> byPartition = lagByPartition(groupId);
        return byPartition == null ? -1 : byPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's lag per partition it has committed offsets for, or null when the cluster did not answer in time. */
    public Map<TopicPartition, Long> lagByPartition(String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> lag = new HashMap<>();
            if (committed.isEmpty()) {
                return lag;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                if (e.getValue() != null) {
                    lag.put(e.getKey(), Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset()));
                }
            }
            return lag;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
