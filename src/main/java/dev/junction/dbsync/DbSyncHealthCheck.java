package dev.junction.dbsync;

import java.util.Map;

import dev.junction.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of db-sync: both databases answer, and the Debezium engine reads the binlog ({@link CdcEngineState}).
 * A failed engine does not stop its Camel route: without this check nobody would know.
 */
final class DbSyncHealthCheck extends ReadinessCheck {

    static final String ID = "db-sync";

    private final DbSync sync;

    DbSyncHealthCheck(DbSync sync) {
        super(ID);
        this.sync = sync;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String catalogue = sync.catalogue().problem();
        String legacy = catalogue == null ? sync.legacy().problem() : null;
        String capture = sync.captureProblem();
        String engine = catalogue == null && legacy == null && capture == null ? sync.cdcEngine().problem() : null;
        if (catalogue != null) {
            builder.message("the catalogue database cannot be used (" + catalogue + "); check db-sync.catalogue.url").down();
        } else if (legacy != null) {
            builder.message("the legacy database cannot be used (" + legacy + "); check db-sync.legacy.*").down();
        } else if (capture != null) {
            builder.message(capture).down();
        } else if (engine != null) {
            builder.message(engine).down();
        } else {
            builder.up();
        }
    }
}
