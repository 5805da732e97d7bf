package dev.junction.dbsync;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture route's consumer exception handler. Camel's Debezium consumer logs a failed change and lets the engine
 * go on, which then saves offsets past it: the change would be lost. This handler throws instead, so the engine
 * stops before marking the change done, the health check goes DOWN, and a restart reads the change again.
 */
public final class StopCaptureOnFailure implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StopCaptureOnFailure.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception instanceof InterruptedException) {
            // Stopping (SIGTERM): the change is read again at the next start.
            LOG.info("db-sync: the legacy capture stops; changes not yet sent are read again at the next start");
        } else if (!(exception instanceof CaptureStoppedException)) {
            // A CaptureStoppedException's reason was logged once already, by the sender, when Kafka refused the change.
            LOG.error("db-sync: the legacy capture stopped: {}", exception.getMessage(), exception);
        }
        throw exception instanceof CaptureStoppedException stopped ? stopped
                : new CaptureStoppedException("the legacy capture failed: " + exception.getMessage(), exception);
    }
}
