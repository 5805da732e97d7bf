package dev.junction.runtime;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a command started, closed in list order (routes before the servers they use). */
public final class Running implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Running.class);

    private final List<AutoCloseable> parts;
    private boolean closed;

    public Running(List<AutoCloseable> parts) {
        this.parts = new ArrayList<>(parts);
    }

    public <T> T part(Class<T> type) {
        return parts.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("nothing of type " + type.getSimpleName() + " running"));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
