package dev.junction.support;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** Asks a Kafka cluster for its brokers, with a deadline: the one question behind start-up checks and health. */
public final class KafkaProbe {

    private KafkaProbe() {
    }

    /** Admin client settings that give up quickly, for probes that must answer within seconds. */
    public static Map<String, Object> quickAdminConfig(KafkaCluster cluster, Duration timeout) {
        int ms = (int) timeout.toMillis();
        Map<String, Object> config = new HashMap<>(cluster.clientProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 2000));
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 2000));
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return config;
    }

    /** As {@link #quickAdminConfig(KafkaCluster, Duration)} for a cluster without client settings. */
    public static Map<String, Object> quickAdminConfig(String bootstrap, Duration timeout) {
        return quickAdminConfig(KafkaCluster.of(KafkaCluster.DEFAULT, bootstrap, Map.of()), timeout);
    }

    /** The cluster's brokers, or an exception when none answered within the timeout. */
    public static Collection<Node> brokers(Admin admin, Duration timeout) throws Exception {
        return admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One-shot probe with its own short-lived admin client. */
    public static Collection<Node> brokers(KafkaCluster cluster, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(quickAdminConfig(cluster, timeout))) {
            return brokers(admin, timeout);
        }
    }
}
