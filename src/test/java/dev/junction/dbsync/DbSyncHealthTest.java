package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

/**
 * A Debezium engine that fails does not stop its route: the db-sync health check says so. A change Kafka refuses
 * stops the capture before it, and a restart after the fix sends it.
 */
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

    @Test
    void aChangeKafkaRefusesStopsTheCaptureAndARestartSendsIt() throws Exception {
        DbSyncFixture sync = new DbSyncFixture();
        String big = "x".repeat(20_000);
        try (DbSyncFixture running = sync.start(Map.of("kafka.client.max.request.size", "8192"))) {
            sync.legacySql("INSERT INTO film (title, language_id) VALUES ('BEFORE', 1)");
            await().atMost(Duration.ofSeconds(60)).until(() -> titles(sync).contains("BEFORE"));
            sync.legacySql("INSERT INTO film (title, description, language_id) VALUES ('TOO LARGE', ?, 1)", big);
            sync.legacySql("INSERT INTO film (title, language_id) VALUES ('AFTER', 1)");
            await().atMost(Duration.ofSeconds(30)).until(() -> health(sync).map(r -> r.getState() == HealthCheck.State.DOWN).orElse(false));
            assertThat(health(sync).get().getMessage()).get().asString()
                    .contains("Kafka refused a legacy change").contains("RecordTooLargeException").contains("max.request.size");
            // Nothing after the refused change got through, and the capture's offsets did not move past it.
            assertThat(titles(sync)).doesNotContain("TOO LARGE", "AFTER");
        }
        try (DbSyncFixture restarted = sync.start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> titles(sync).containsAll(java.util.List.of("TOO LARGE", "AFTER")));
            assertThat(sync.catalogueContent()).isEqualTo(sync.legacyContent());
        }
    }

    private static java.util.List<String> titles(DbSyncFixture sync) throws Exception {
        return sync.catalogueContent().values().stream().map(v -> v.substring(0, v.indexOf('|'))).toList();
    }

    /** The db-sync check's own result (the registry's summary shows only what is DOWN). */
    private static Optional<HealthCheck.Result> health(DbSyncFixture sync) {
        return HealthCheckRegistry.get(sync.runtime().camelContext()).getCheck("db-sync").map(HealthCheck::call);
    }
}
