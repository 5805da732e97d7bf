package dev.junction.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.observe.FlowMetrics;
import dev.junction.testing.Http;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;

/** The shipped heartbeat route file really sends records through the broker and reads them back. */
class HeartbeatFlowTest {

    @Test
    void heartbeatRecordsPassThroughTheBrokerAndAreCounted() {
        String topic = TestKafka.uniqueName("heartbeat");
        String group = TestKafka.uniqueName("heartbeat-group");
        var config = TestJunction.config(TestKafka.bootstrap(), Map.of(
                "heartbeat.topic", topic, "heartbeat.group", group, "heartbeat.period-ms", "50"));
        try (JunctionRuntime runtime = JunctionRuntime.start(config,
                List.of(TestJunction.repoRoute("heartbeat.camel.yaml")), false)) {
            var records = TestKafka.consumeUntil(topic, r -> r.size() >= 10, Duration.ofSeconds(30));
            assertThat(records).hasSizeGreaterThanOrEqualTo(10);
            assertThat(records.get(0).value()).contains("\"source\":\"heartbeat\"").containsPattern("\"seq\":\\d+,");
            assertThat(records.get(0).key()).matches("\\d+");

            // The receiving route consumed them back from the broker and counted them for the flow.
            var registry = FlowMetrics.registry(runtime.camelContext());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> FlowMetrics.recordsTotal(registry, "heartbeat") >= 10);

            String base = "http://localhost:" + config.get("camel.management.port");
            Http.Response metrics = Http.get(base + "/observe/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).containsPattern("junction_flow_records_total\\{[^}]*flow=\"heartbeat\"[^}]*} [1-9]");
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(base + "/observe/health").status() == 200);
            assertThat(Http.get(base + "/observe/health").body()).contains("UP");
            assertThat(Http.get(base + "/observe/health/live").status()).isEqualTo(200);
            assertThat(Http.get(base + "/observe/health/ready").status()).isEqualTo(200);
        }
    }
}
