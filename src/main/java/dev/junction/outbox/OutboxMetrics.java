package dev.junction.outbox;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;

/**
 * The relay's meters, tagged with table and database: published (also the flow's record count), failures,
 * dead-lettered, errors, the backlog and age of the oldest unpublished row (also the flow's lag), and the topics the
 * cluster refuses (one gauge per topic, tagged with it).
 */
final class OutboxMetrics {

    private final Counter published;
    private final Counter failures;
    private final Counter deadLettered;
    private final Counter errors;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    /** Topics the cluster refused (missing, not authorized) and why; a topic leaves once records reach it. */
    private final Map<String, String> blockedTopics = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Tags tags;

    OutboxMetrics(CamelContext context, String flow, String table, String database) {
        registry = FlowMetrics.registry(context);
        tags = Tags.of("camelContext", context.getName(), "table", table, "database", database);
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

    /** After a batch: topics refused in it are blocked, topics written in it no longer are. */
    void topics(Map<String, String> refused, Set<String> written) {
        refused.forEach((topic, reason) -> {
            if (blockedTopics.put(topic, reason) == null) {
                Gauge.builder("junction.outbox.blocked.topic", blockedTopics, m -> m.containsKey(topic) ? 1 : 0)
                        .tags(tags).tag("topic", topic)
                        .description("1 while the cluster refuses this topic (missing, not authorized)").register(registry);
            }
        });
        written.forEach(blockedTopics::remove);
    }

    Map<String, String> blockedTopics() {
        return Map.copyOf(blockedTopics);
    }

    long backlog() {
        return backlog.get();
    }
}
