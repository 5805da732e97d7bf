package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.Http;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;

/** The quic-sync-link check turns /observe/health DOWN once the receiver has been unreachable for too long. */
class QuicSyncHealthTest extends TwoClusterTest {

    @Test
    void healthGoesDownWhileTheLinkIsDownLongerThanConfigured() throws Exception {
        String topic = fixture.topic("lonely");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 1);
        QuicSyncFixture.produce(topic, 1, 0, 10);
        // Only the sender: nothing listens on the receiver's port.
        Map<String, String> props = new java.util.HashMap<>(fixture.properties(true, false));
        props.put("quic-sync.link-down-health-ms", "2000");
        props.put("quic-sync.request-timeout-ms", "1000");
        var config = TestJunction.config(TestKafka.bootstrap(), props);
        String health = "http://localhost:" + config.get("camel.management.port") + "/observe/health";
        try (JunctionRuntime sender = JunctionRuntime.start(config,
                List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml")), false)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(health).status() == 503);
            // It is the link check that is DOWN (Kafka and the sender's consumer are fine).
            String full = Http.get(health + "?exposureLevel=full").body();
            assertThat(full).contains("{\"name\":\"quic-sync-link\",\"status\":\"DOWN\"", "the quic-sync link has been down for")
                    .contains("{\"name\":\"kafka-cluster\",\"status\":\"UP\"}");
        }
    }
}
