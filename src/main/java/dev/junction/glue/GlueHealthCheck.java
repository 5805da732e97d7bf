package dev.junction.glue;

import java.util.Map;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/** UP while the glue endpoint runs with a name of its own on the network; details: peers and what waits. */
final class GlueHealthCheck extends ReadinessCheck {

    private final GlueNode node;

    GlueHealthCheck(GlueNode node) {
        super("glue-" + node.name());
        this.node = node;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        GlueStatistics s = node.statistics();
        builder.detail("peers", s.peers());
        builder.detail("absentPeers", s.absentPeers());
        builder.detail("deliveryQueue", s.deliveryQueue());
        builder.detail("messagesIn", s.messagesIn());
        builder.detail("messagesOut", s.messagesOut());
        String conflict = node.nameConflict();
        if (conflict != null) {
            builder.message("another endpoint on the network has this name (" + conflict + "): set GLUE_ENDPOINT_NAME").down();
        } else {
            builder.up();
        }
    }
}
