package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kamelets/fanout-sink as a Pipe uses it: a message reaches a connected client and completes when it acks. */
class FanoutKameletTest {

    @TempDir
    Path dir;

    @Test
    void aMessageSentToTheSinkReachesAClientAndCompletesOnItsAck() throws Exception {
        int port = Ports.freePort();
        Path routes = dir.resolve("pipe.camel.yaml");
        Files.writeString(routes, """
                - route:
                    id: to-clients
                    from:
                      uri: "direct:send"
                      steps:
                        - to:
                            uri: "kamelet:fanout-sink"
                            parameters:
                              id: pipe
                              port: %d
                """.formatted(port));
        Map<String, String> props = Map.of("camel.component.kamelet.location", "file:" + TestJunction.repoDir().resolve("kamelets"));
        List<String> got = new CopyOnWriteArrayList<>();
        try (JunctionRuntime runtime = TestJunction.start(List.of(routes), props)) {
            var template = runtime.camelContext().createProducerTemplate();
            // The first message starts the client server (no consumer runs for this id); it waits for a client.
            CompletableFuture<Object> first = template.asyncRequestBody("direct:send", "hello");
            try (FanoutClient client = FanoutClient.builder().servers("localhost:" + port).name("pipe-client")
                    .handler(r -> {
                        got.add(new String(r.value(), StandardCharsets.UTF_8));
                        r.ack();
                    }).start()) {
                first.get();
                template.requestBody("direct:send", "world");
                await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2);
                assertThat(got).containsExactly("hello", "world");
            }
        }
    }
}
