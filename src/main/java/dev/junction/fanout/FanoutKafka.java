package dev.junction.fanout;

import java.util.Map;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Kafka consumer settings the daemon's consumers (records, election, heartbeat reader) share. */
final class FanoutKafka {

    private FanoutKafka() {
    }

    /** A consumer of raw records that commits only what the daemon commits itself. */
    static Map<String, Object> consumer(KafkaCluster cluster, String clientId) {
        Map<String, Object> p = cluster.clientProperties();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /** As {@link #consumer}, in {@code groupId}, whose dead members are replaced after the daemon's session timeout. */
    static Map<String, Object> groupMember(KafkaCluster cluster, String clientId, String groupId, FanoutConfiguration config) {
        Map<String, Object> p = consumer(cluster, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.getSessionTimeoutMs());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, config.getSessionTimeoutMs() / 4));
        return p;
    }
}
