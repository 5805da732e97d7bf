package dev.junction.dbsync;

import java.util.Map;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of db-sync: both databases answer, and the Debezium engine is alive. A failed engine does not stop its
 * Camel route, so its life is read from what it emits: a change or a heartbeat ({@code heartbeatIntervalMs}) at
 * least every {@code cdcSilenceMs}.
 */
final class DbSyncHealthCheck extends ReadinessCheck {

    private final DbSync sync;

    DbSyncHealthCheck(DbSync sync) {
        super("db-sync");
        this.sync = sync;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long silentMs = sync.msSinceLastCdcEvent();
        builder.detail("cdc.silent.ms", silentMs);
        String catalogue = sync.catalogue().problem();
        String legacy = catalogue == null ? sync.legacy().problem() : null;
        if (catalogue != null) {
            builder.message("the catalogue database cannot be used (" + catalogue + "); check db-sync.catalogue.url").down();
        } else if (legacy != null) {
            builder.message("the legacy database cannot be used (" + legacy + "); check db-sync.legacy.*").down();
        } else if (silentMs > sync.getCdcSilenceMs()) {
            builder.message("the Debezium engine emitted nothing (not even a heartbeat) for " + silentMs
                    + " ms: it has failed or cannot read the binlog; see its log lines").down();
        } else {
            builder.up();
        }
    }
}
