package dev.junction.outbox;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: UP while the outbox database accepts a connection and answers within the timeout. Its details name the
 * topics the cluster refuses (missing, not authorized), whose aggregates are held back.
 */
final class OutboxHealthCheck extends ReadinessCheck {

    private final OutboxDatabase database;
    private final Duration timeout;
    private final Supplier<Map<String, String>> blockedTopics;

    /** Its id, {@code outbox-database-FLOW-ENDPOINT}, names the flow so that a flow's health can be found by prefix. */
    OutboxHealthCheck(String flowAndEndpoint, OutboxDatabase database, Duration timeout,
            Supplier<Map<String, String>> blockedTopics) {
        super("outbox-database-" + flowAndEndpoint);
        this.database = database;
        this.timeout = timeout;
        this.blockedTopics = blockedTopics;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", database.url());
        // Rows for a refused topic hold back their aggregates only; the relay is still ready for everything else.
        Map<String, String> blocked = blockedTopics.get();
        if (!blocked.isEmpty()) {
            builder.detail("blocked.topics", String.join(",", new TreeSet<>(blocked.keySet())));
            blocked.forEach((topic, reason) -> builder.detail("blocked.topic." + topic, reason));
        }
        try (Connection c = database.connect()) {
            if (c.isValid((int) Math.max(1, timeout.toSeconds()))) {
                builder.up();
                return;
            }
            builder.message("the outbox database did not answer within " + timeout.toSeconds() + " s");
        } catch (Exception e) {
            builder.message("the outbox database is unreachable: " + OutboxDatabase.firstLine(e.getMessage()));
        }
        builder.down();
    }
}
