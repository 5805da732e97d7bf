package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

/** A Debezium engine that fails does not stop its route: the db-sync health check says so. */
class DbSyncHealthTest {

    @Test
    void aFailedEngineTurnsHealthDown() throws Exception {
        // The engine cannot start (no such class), the databases and the API are fine.
        try (DbSyncFixture sync = new DbSyncFixture().start(Map.of(
                "db-sync.legacy.source-info-struct-maker", "no.such.SourceInfoStructMaker"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> health(sync).map(r -> r.getState() == HealthCheck.State.DOWN).orElse(false));
            assertThat(health(sync).get().getMessage()).get().asString().contains("the Debezium engine is not running");
        }
    }

    @Test
    void aLiveEngineOnQuietTablesStaysUp() throws Exception {
        try (DbSyncFixture sync = new DbSyncFixture().start()) {
            await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(6))
                    .until(() -> health(sync).map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
            assertThat(health(sync).get().getMessage()).isEmpty();
        }
    }

    /** The db-sync check's own result (the registry's summary shows only what is DOWN). */
    private static Optional<HealthCheck.Result> health(DbSyncFixture sync) {
        return HealthCheckRegistry.get(sync.runtime().camelContext()).getCheck("db-sync").map(HealthCheck::call);
    }
}
