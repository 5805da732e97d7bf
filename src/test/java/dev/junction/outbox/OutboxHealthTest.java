package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.infra.EmbeddedPostgres;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.Http;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /observe/health turns DOWN when the outbox database goes away, and the metrics carry the relay's figures. */
class OutboxHealthTest {

    @TempDir
    Path dir;

    @Test
    void healthIsDownWhileTheDatabaseIsUnreachable() throws Exception {
        // A PostgreSQL of this test's own: the shared one must stay up for the other tests.
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
        try {
            pg.createDatabase("app");
            new OutboxMaintenance(OutboxConfiguration.of(pg.jdbcUrl("app"), pg.user(), pg.password(), "outbox")).initSchema();
            Map<String, String> props = new HashMap<>(Map.of("db.url", pg.jdbcUrl("app"), "db.user", pg.user(),
                    "db.password", pg.password(), "outbox.topic-pattern", TestKafka.uniqueName("health") + ".${aggregate_type}"));
            var config = TestJunction.config(TestKafka.bootstrap(), props);
            String base = "http://localhost:" + config.get("camel.management.port");
            try (JunctionRuntime relay = JunctionRuntime.start(config, List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), false)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(base + "/observe/health").status() == 200);
                assertThat(Http.get(base + "/observe/metrics").body())
                        .contains("junction_outbox_backlog{", "junction_outbox_oldest_age_seconds{", "junction_outbox_dead_lettered_total{");

                pg.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(base + "/observe/health").status() == 503);
                assertThat(Http.get(base + "/observe/health").body()).contains("DOWN");
            }
        } finally {
            pg.close();
        }
    }
}
