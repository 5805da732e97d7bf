package dev.junction.outbox;

import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;

/**
 * The relay's meters, tagged with table and database: published (also the flow's record count), failures,
 * dead-lettered, errors, and the backlog and age of the oldest unpublished row (also the flow's lag).
 */
final class OutboxMetrics {

    private final Counter published;
    private final Counter failures;
    private final Counter deadLettered;
    private final Counter errors;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    OutboxMetrics(CamelContext context, String flow, String table, String database) {
        MeterRegistry registry = FlowMetrics.registry(context);
        Tags tags = Tags.of("camelContext", context.getName(), "table", table, "database", database);
        published = Counter.builder("junction.outbox.published").tags(tags).register(registry);
        failures = Counter.builder("junction.outbox.failures").tags(tags).register(registry);
        deadLettered = Counter.builder("junction.outbox.dead.lettered").tags(tags).register(registry);
        errors = Counter.builder("junction.outbox.errors").description("Database or relay errors").tags(tags).register(registry);
        Gauge.builder("junction.outbox.backlog", backlog, AtomicLong::get).tags(tags)
                .description("Unpublished rows").register(registry);
        Gauge.builder("junction.outbox.oldest.age.seconds", oldestAgeSeconds, AtomicLong::get).tags(tags)
                .description("Age of the oldest unpublished row").register(registry);
    }

    void published(int n) {
        published.increment(n);
    }

    void failure() {
        failures.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void error() {
        errors.increment();
    }

    void backlog(long rows, long oldestSeconds) {
        backlog.set(rows);
        oldestAgeSeconds.set(oldestSeconds);
    }

    long backlog() {
        return backlog.get();
    }
}
