package dev.junction.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes are YAML files read from disk at start: a user changes a flow by editing a file, never by rebuilding. */
class RoutesFromDiskTest {

    @TempDir
    Path routesDir;

    private Path writeRoute(String topic, String body) throws IOException {
        Path file = routesDir.resolve("greeting.camel.yaml");
        Files.writeString(file, """
                - route:
                    id: greeting
                    from:
                      uri: timer:greeting
                      parameters:
                        period: 100
                      steps:
                        - setBody:
                            constant: "%s"
                        - to: "kafka:%s"
                """.formatted(body, topic));
        return file;
    }

    private static boolean hasBody(List<ConsumerRecord<String, String>> records, String body) {
        return records.stream().anyMatch(r -> body.equals(r.value()));
    }

    @Test
    void routesLoadFromATemporaryDirectoryAndPassThroughKafka() throws IOException {
        String topic = TestKafka.uniqueName("greeting");
        Path file = writeRoute(topic, "hello v1");
        List<Path> files = RouteFiles.resolve(routesDir + "/*.camel.yaml", Path.of("/"));
        assertThat(files).containsExactly(file);
        try (JunctionRuntime runtime = TestJunction.start(files, Map.of())) {
            assertThat(runtime.camelContext().getRoute("greeting")).isNotNull();
            var records = TestKafka.consumeUntil(topic, r -> hasBody(r, "hello v1"), Duration.ofSeconds(30));
            assertThat(hasBody(records, "hello v1")).isTrue();
        }
    }

    @Test
    void anEditedRouteRunsChangedAfterRestart() throws IOException {
        String topic = TestKafka.uniqueName("greeting");
        Path file = writeRoute(topic, "before edit");
        try (JunctionRuntime runtime = TestJunction.start(List.of(file), Map.of())) {
            TestKafka.consumeUntil(topic, r -> hasBody(r, "before edit"), Duration.ofSeconds(30));
        }
        writeRoute(topic, "after edit");
        try (JunctionRuntime runtime = TestJunction.start(List.of(file), Map.of())) {
            var records = TestKafka.consumeUntil(topic, r -> hasBody(r, "after edit"), Duration.ofSeconds(30));
            assertThat(hasBody(records, "before edit")).isTrue();
            assertThat(hasBody(records, "after edit")).isTrue();
        }
    }

    @Test
    void withReloadAnEditedRouteRunsChangedWithoutRestart() throws IOException {
        String topic = TestKafka.uniqueName("greeting");
        Path file = writeRoute(topic, "first");
        JunctionConfig config = TestJunction.config(TestKafka.bootstrap(), Map.of());
        try (JunctionRuntime runtime = TestJunction.start(config, List.of(file), true)) {
            TestKafka.consumeUntil(topic, r -> hasBody(r, "first"), Duration.ofSeconds(30));
            writeRoute(topic, "second");
            var records = TestKafka.consumeUntil(topic, r -> hasBody(r, "second"), Duration.ofSeconds(60));
            assertThat(hasBody(records, "second")).as("the edited route runs without a restart").isTrue();
        }
    }
}
