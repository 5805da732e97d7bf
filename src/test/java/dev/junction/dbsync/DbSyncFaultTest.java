package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.Http;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * db-sync (`java -jar junction.jar db-sync` in a JVM of its own) killed with SIGKILL mid-stream and started again,
 * then stopped with SIGTERM mid-stream (an operator's restart) and started again; and its Kafka broker stopped
 * mid-stream while both sides keep changing, then started again.
 */
class DbSyncFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_SIDE = 150;

    @TempDir
    Path dir;

    @Test
    void aKilledSyncLosesNoChange() throws Exception {
        DbSyncFixture sync = new DbSyncFixture();
        Map<String, String> settings = new HashMap<>(sync.settings());
        settings.put("kafka.bootstrap", TestKafka.bootstrap());
        List<String> apiItems = new CopyOnWriteArrayList<>();
        ForkedJunction first = start(settings, "first");
        awaitApi(sync, first);
        int legacy = 0;
        for (int i = 0; i < PER_SIDE; i++) {
            if (i == PER_SIDE / 3 || i == 2 * PER_SIDE / 3) {
                // Changes are in flight on both paths: some rows are in the outbox, some in Kafka, some being applied.
                if (i == PER_SIDE / 3) {
                    first.kill();
                } else {
                    first.terminate();
                }
                // While it is down the legacy side keeps changing.
                for (int j = 0; j < 20; j++) {
                    sync.legacySql("INSERT INTO film (title, language_id) VALUES (?, 1)", "WHILE DOWN " + i + " " + j);
                    legacy++;
                }
                ForkedJunction second = start(settings, "after-" + i);
                awaitApi(sync, second);
                first = second;
            }
            Http.Response r = Http.send("POST", sync.api("/catalogue"), "{\"title\": \"API " + i + "\"}", "Content-Type", "application/json");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            apiItems.add(JSON.readTree(r.body()).get("uuid").asText());
            sync.legacySql("INSERT INTO film (title, language_id) VALUES (?, 1)", "LEGACY " + i);
            legacy++;
        }
        int legacyRows = legacy;
        try (ForkedJunction running = first) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sync.catalogueContent().size() == PER_SIDE + legacyRows
                            && sync.catalogueContent().equals(sync.legacyContent()));
            assertThat(sync.legacyContent()).containsKeys(apiItems.toArray(String[]::new));
        }
    }

    @Test
    void aKafkaRestartLosesNoChange() throws Exception {
        DbSyncFixture sync = new DbSyncFixture();
        // A broker of this test's own, to stop: the shared one serves the other tests.
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        int port = broker.port();
        Map<String, String> settings = new HashMap<>(sync.settings());
        settings.put("kafka.bootstrap", broker.bootstrapServers());
        List<String> apiItems = new ArrayList<>();
        int legacy = 0;
        try (ForkedJunction junction = start(settings, "kafka-restart")) {
            awaitApi(sync, junction);
            for (int i = 0; i < PER_SIDE; i++) {
                if (i == PER_SIDE / 2) {
                    broker.close();
                }
                if (i == PER_SIDE / 2 + 40) {
                    // 40 changes a side made while Kafka was down: in the outbox, and in the binlog behind the capture.
                    broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
                }
                Http.Response r = Http.send("POST", sync.api("/catalogue"), "{\"title\": \"API " + i + "\"}",
                        "Content-Type", "application/json");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                apiItems.add(JSON.readTree(r.body()).get("uuid").asText());
                sync.legacySql("INSERT INTO film (title, language_id) VALUES (?, 1)", "LEGACY " + i);
                legacy++;
            }
            int legacyRows = legacy;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sync.catalogueContent().size() == PER_SIDE + legacyRows
                            && sync.catalogueContent().equals(sync.legacyContent()));
            assertThat(sync.legacyContent()).containsKeys(apiItems.toArray(String[]::new));
            assertThat(junction.isAlive()).as("db-sync rode out the outage").isTrue();
        } finally {
            broker.closeAndDelete();
        }
    }

    private ForkedJunction start(Map<String, String> settings, String name) throws Exception {
        Map<String, String> s = new HashMap<>(settings);
        s.put("camel.management.port", String.valueOf(Ports.freePort()));
        return ForkedJunction.start(TestJunction.repoDir(), dir.resolve(name + ".log"), s, "db-sync");
    }

    private static void awaitApi(DbSyncFixture sync, ForkedJunction junction) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(junction.isAlive()).as("db-sync is running; its console:%n%s", junction.log()).isTrue();
            try {
                return Http.get(sync.api("/catalogue?size=1")).status() == 200;
            } catch (IllegalStateException e) {
                return false;
            }
        });
    }
}
