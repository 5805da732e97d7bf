package dev.junction.fanout;

import java.util.Map;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * UP while the daemon can do its job: as leader, reading Kafka without errors; as follower, knowing the leader to
 * send clients to. Details: role, clients, records out, buffer fill and lag.
 */
final class FanoutHealthCheck extends ReadinessCheck {

    private final FanoutService service;
    private final RecordPoller poller;

    FanoutHealthCheck(String id, FanoutService service, RecordPoller poller) {
        super(id);
        this.service = service;
        this.poller = poller;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("role", service.isLeader() ? "leader" : "follower");
        builder.detail("leader", service.leaderAddress());
        builder.detail("clients", service.connectedClients());
        builder.detail("inFlight", service.inFlight());
        builder.detail("buffered", poller.outstanding());
        builder.detail("lag", poller.lag());
        String error = poller.lastError();
        if (error != null) {
            builder.message("reading Kafka fails: " + error).down();
        } else if (!service.isLeader() && service.leaderAddress().isEmpty()) {
            builder.message("no leader known yet (election running)").down();
        } else {
            builder.up();
        }
    }
}
