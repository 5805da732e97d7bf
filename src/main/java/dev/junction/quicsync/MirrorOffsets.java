package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last source offset applied per (source cluster, topic, partition), kept in a compacted topic of the
 * destination cluster and written in the same transaction as the records, so it is exactly as durable as they are.
 */
final class MirrorOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorOffsets.class);
    /** {@link #key}: source cluster, topic, partition. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,100}/[A-Za-z0-9._-]{1,249}/[0-9]{1,9}");

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
            long skipped = 0;
            String firstSkipped = null;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue; // a tombstone
                    }
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    OptionalLong offset = parseOffset(key, new String(r.value(), StandardCharsets.UTF_8));
                    if (offset.isPresent()) {
                        applied.put(key, offset.getAsLong());
                    } else {
                        skipped++;
                        firstSkipped = firstSkipped == null ? "offset " + r.offset() + ", key " + key : firstSkipped;
                    }
                }
            }
            if (skipped > 0) {
                // Not written by a receiver (no sender can write here): ignored, so that the real offsets still count.
                LOG.warn("quic-sync receiver ignored {} records of its offsets topic {} that are not offsets (first: {})",
                        skipped, topic, firstSkipped);
            }
        }
    }

    /** The offset a record of the offsets topic stores: key {@code cluster/topic/partition}, value a number >= -1. */
    static OptionalLong parseOffset(String key, String value) {
        if (key == null || !KEY.matcher(key).matches()) {
            return OptionalLong.empty();
        }
        try {
            long offset = Long.parseLong(value);
            return offset >= -1 ? OptionalLong.of(offset) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
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
