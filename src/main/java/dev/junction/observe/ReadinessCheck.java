package dev.junction.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check that only says whether Junction is ready to work (a server it needs answers, a link is up).
 * It never fails liveness: restarting Junction would not bring the other side back.
 */
public abstract class ReadinessCheck extends AbstractHealthCheck {

    protected ReadinessCheck(String id) {
        super("junction", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
