package dev.junction.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.infra.EmbeddedKafka;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.Http;
import dev.junction.testing.TestJunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /observe/health follows the broker: DOWN while it is stopped, UP again once it is back. */
class KafkaHealthTest {

    @TempDir
    Path dir;

    @Test
    void healthTurnsDownWhenTheBrokerStopsAndUpWhenItReturns() throws Exception {
        // A broker of this test's own: stopping the shared one would break every other test.
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        int port = broker.port();
        Path route = dir.resolve("idle.camel.yaml");
        Files.writeString(route, """
                - route:
                    id: idle
                    from:
                      uri: "kafka:health-probe"
                      steps:
                        - log: "${body}"
                """);
        var config = TestJunction.config(broker.bootstrapServers(), Map.of());
        String health = "http://localhost:" + config.get("camel.management.port") + "/observe/health";
        try (JunctionRuntime runtime = JunctionRuntime.start(config, List.of(route), false)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(health).status() == 200);

            broker.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(health).status() == 503);
            assertThat(Http.get(health).body()).contains("DOWN");

            broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(health).status() == 200);
        } finally {
            broker.closeAndDelete();
        }
    }
}
