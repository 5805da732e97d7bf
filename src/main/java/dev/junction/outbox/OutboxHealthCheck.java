package dev.junction.outbox;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/** Readiness: UP while the outbox database accepts a connection and answers within the timeout. */
final class OutboxHealthCheck extends ReadinessCheck {

    private final OutboxDatabase database;
    private final Duration timeout;

    /** Its id, {@code outbox-database-FLOW-ENDPOINT}, names the flow so that a flow's health can be found by prefix. */
    OutboxHealthCheck(String flowAndEndpoint, OutboxDatabase database, Duration timeout) {
        super("outbox-database-" + flowAndEndpoint);
        this.database = database;
        this.timeout = timeout;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", database.url());
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
