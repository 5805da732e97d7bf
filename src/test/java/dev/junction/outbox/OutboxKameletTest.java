package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.observe.FlowMetrics;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kamelets/outbox-source.kamelet.yaml, used the way a Camel K Pipe uses it: a route from kamelet:outbox-source. */
class OutboxKameletTest {

    @TempDir
    Path dir;

    @Test
    void theOutboxSourceKameletRelaysATable() throws Exception {
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        outbox.insertEvents(500, 10, 0);
        Path pipe = dir.resolve("pipe.camel.yaml");
        Files.writeString(pipe, """
                - route:
                    id: outbox-pipe
                    from:
                      uri: "kamelet:outbox-source"
                      parameters:
                        jdbcUrl: "%s"
                        user: "%s"
                        password: "%s"
                        brokers: "{{kafka.bootstrap}}"
                        topicPattern: "%s.${aggregate_type}"
                      steps:
                        - to: "micrometer:counter:junction.flow.records?tags.flow=outbox-pipe"
                """.formatted(outbox.url, outbox.server.user(), outbox.server.password(), outbox.topicPrefix));
        Map<String, String> props = Map.of("camel.component.kamelet.location",
                "file:" + TestJunction.repoDir().resolve("kamelets"));
        try (JunctionRuntime runtime = TestJunction.start(List.of(pipe), props)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
            var registry = FlowMetrics.registry(runtime.camelContext());
            await().atMost(Duration.ofSeconds(10)).until(() -> FlowMetrics.recordsTotal(registry, "outbox-pipe") == 500);
        }
        var records = OutboxRelayTest.readBoth(outbox, 500);
        assertThat(OutboxAssertions.eventIds(records)).hasSize(500);
        OutboxAssertions.assertOrderedPerKey(records, false);
    }
}
