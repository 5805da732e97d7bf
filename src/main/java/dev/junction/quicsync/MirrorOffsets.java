package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The last source offset applied per (source cluster, topic, partition), kept in a compacted topic of the
 * destination cluster and written in the same transaction as the records, so it is exactly as durable as they are.
 */
final class MirrorOffsets {

    private final String topic;
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    MirrorOffsets(String topic) {
        this.topic = topic;
    }

    static String key(String sourceCluster, String sourceTopic, int partition) {
        return sourceCluster + "/" + sourceTopic + "/" + partition;
    }

    /** Creates the offsets topic if needed and reads it to its end (committed records only). */
    void load(Admin admin, KafkaCluster destination) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties p = destination.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && r.value() != null) {
                        applied.put(new String(r.key(), StandardCharsets.UTF_8),
                                Long.parseLong(new String(r.value(), StandardCharsets.UTF_8)));
                    }
                });
            }
        }
    }

    /** The last applied source offset, or -1 when nothing was applied yet. */
    long applied(String key) {
        return applied.getOrDefault(key, -1L);
    }

    Map<String, Long> snapshot() {
        return Map.copyOf(applied);
    }

    /** The record that stores {@code offset} for {@code key}; send it inside the batch's transaction. */
    ProducerRecord<byte[], byte[]> record(String key, long offset) {
        return new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
                String.valueOf(offset).getBytes(StandardCharsets.UTF_8));
    }

    /** After the transaction committed. */
    void remember(String key, long offset) {
        applied.merge(key, offset, Math::max);
    }
}
