package dev.junction.observe;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaProbe;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * Readiness check: UP while the Kafka cluster answers a metadata request within the timeout, DOWN otherwise.
 * <p>
 * Camel's own Kafka checks follow individual consumers and producers, which may stay UP for minutes while they
 * retry; this one asks the cluster directly, so {@code /observe/health} turns DOWN within seconds of an outage.
 * It is not a liveness check: restarting Junction would not bring the broker back.
 */
public final class KafkaClusterHealthCheck extends ReadinessCheck implements AutoCloseable {

    private final KafkaCluster cluster;
    private final Duration timeout;
    private Admin admin;

    public KafkaClusterHealthCheck(KafkaCluster cluster, Duration timeout) {
        super("kafka-cluster");
        this.cluster = cluster;
        this.timeout = timeout;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("bootstrap.servers", cluster.bootstrap());
        try {
            Collection<Node> brokers = KafkaProbe.brokers(admin(), timeout);
            builder.detail("brokers", brokers.size());
            builder.up();
        } catch (Exception e) {
            // A refused login or an untrusted certificate says which setting to fix; anything else is the cluster.
            builder.message(cluster.userError(e).map(Throwable::getMessage)
                    .orElse("Kafka at " + cluster.bootstrap() + " did not answer within " + timeout.toMillis() + " ms"));
            builder.down();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(KafkaProbe.quickAdminConfig(cluster, timeout));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
