package dev.junction.dbsync;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * db-sync's meters: changes per direction and outcome ({@code junction.dbsync.changes}: applied, unchanged, echo =
 * a loop suppressed, conflict_lost, stale), dead letters per direction, and the CDC lag (now minus the legacy
 * commit time of the newest change read).
 */
public final class DbSyncMetrics {

    public static final String LEGACY_TO_CATALOGUE = "legacy-to-catalogue";
    public static final String CATALOGUE_TO_LEGACY = "catalogue-to-legacy";

    private final Map<ApplyOutcome, Counter> toCatalogue = new EnumMap<>(ApplyOutcome.class);
    private final Map<ApplyOutcome, Counter> toLegacy = new EnumMap<>(ApplyOutcome.class);
    private final Counter deadLetteredToCatalogue;
    private final Counter deadLetteredToLegacy;
    private final Counter ignoredLegacyChanges;
    private final AtomicLong cdcLagMs = new AtomicLong();

    DbSyncMetrics(CamelContext context) {
        MeterRegistry registry = FlowMetrics.registry(context);
        for (ApplyOutcome o : ApplyOutcome.values()) {
            toCatalogue.put(o, counter(registry, LEGACY_TO_CATALOGUE, o));
            toLegacy.put(o, counter(registry, CATALOGUE_TO_LEGACY, o));
        }
        deadLetteredToCatalogue = Counter.builder("junction.dbsync.dead.lettered").tag("direction", LEGACY_TO_CATALOGUE)
                .description("Changes sent to the dead-letter topic").register(registry);
        deadLetteredToLegacy = Counter.builder("junction.dbsync.dead.lettered").tag("direction", CATALOGUE_TO_LEGACY)
                .description("Changes sent to the dead-letter topic").register(registry);
        ignoredLegacyChanges = Counter.builder("junction.dbsync.legacy.ignored")
                .description("Legacy updates that changed no column the catalogue carries").register(registry);
        Gauge.builder("junction.dbsync.cdc.lag.ms", cdcLagMs, AtomicLong::get)
                .description("Now minus the legacy commit time of the newest change CDC read").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String direction, ApplyOutcome outcome) {
        return Counter.builder("junction.dbsync.changes").tag("direction", direction)
                .tag("outcome", outcome.name().toLowerCase()).register(registry);
    }

    void appliedToCatalogue(ApplyOutcome o) {
        toCatalogue.get(o).increment();
    }

    void appliedToLegacy(ApplyOutcome o) {
        toLegacy.get(o).increment();
    }

    void deadLettered(String direction) {
        (LEGACY_TO_CATALOGUE.equals(direction) ? deadLetteredToCatalogue : deadLetteredToLegacy).increment();
    }

    void ignoredLegacyChange() {
        ignoredLegacyChanges.increment();
    }

    void cdcLag(long ms) {
        cdcLagMs.set(Math.max(0, ms));
    }
}
