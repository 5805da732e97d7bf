package dev.junction.quicsync;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/** Readiness: DOWN once the link to the receiver has failed for longer than the configured time. */
final class QuicSyncLinkHealthCheck extends ReadinessCheck {

    private final AtomicLong failingSince;
    private final long downAfterMs;

    QuicSyncLinkHealthCheck(AtomicLong failingSince, long downAfterMs) {
        super("quic-sync-link");
        this.failingSince = failingSince;
        this.downAfterMs = downAfterMs;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long since = failingSince.get();
        if (since != 0 && System.currentTimeMillis() - since > downAfterMs) {
            builder.message("the quic-sync link has been down for " + (System.currentTimeMillis() - since) / 1000 + " s");
            builder.down();
        } else {
            builder.up();
        }
    }
}
