package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.infra.EmbeddedKafka;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.Http;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a cluster that does not create topics (auto.create.topics.enable=false, as production clusters are set), a row
 * for a topic that does not exist holds back its own aggregate only: the others keep flowing, the row is retried,
 * dead-lettered after outbox.max-attempts, and health and metrics name the topic.
 */
class OutboxMissingTopicTest {

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBrokerThatCreatesNoTopics() throws Exception {
        broker = EmbeddedKafka.start(Files.createTempDirectory("kafka-no-auto-create"), 0,
                Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stopBroker() {
        broker.closeAndDelete();
    }

    private static void createTopics(String... topics) {
        for (String topic : topics) {
            TestKafka.createTopic(broker.bootstrapServers(), topic, 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aRowForATopicThatDoesNotExistHoldsBackOnlyItsOwnAggregate(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        createTopics(outbox.topic("order"), outbox.topic("customer"), outbox.topicPrefix + ".dlq");
        String missing = outbox.topicPrefix + ".missing";
        outbox.insertEvents(200, 10, 0);
        long lost = outbox.insertOne("order", "lost", missing, null, json("lost", 0));
        long afterLost = outbox.insertOne("order", "lost", null, null, json("lost", 1));

        Map<String, String> props = new HashMap<>(outbox.properties());
        props.put("outbox.max-attempts", "4");
        var config = TestJunction.config(broker.bootstrapServers(), props);
        String base = "http://localhost:" + config.get("camel.management.port");
        try (JunctionRuntime relay = JunctionRuntime.start(config, List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), false)) {
            // Every other aggregate goes through at once, while the lost row keeps failing.
            outbox.insertEvents(200, 10, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("published_at IS NOT NULL") == 400);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("id = " + lost + " AND failed_at IS NOT NULL") == 1);
            assertThat(outbox.count("id = " + lost + " AND attempts = 4")).isEqualTo(1);
            assertThat(outbox.count("id = " + afterLost + " AND published_at IS NULL AND failed_at IS NULL")).isEqualTo(1);

            List<ConsumerRecord<String, String>> others = new java.util.ArrayList<>();
            others.addAll(TestKafka.consumeUntil(broker.bootstrapServers(), outbox.topic("order"), r -> r.size() >= 200, Duration.ofSeconds(30)));
            others.addAll(TestKafka.consumeUntil(broker.bootstrapServers(), outbox.topic("customer"), r -> r.size() >= 200, Duration.ofSeconds(30)));
            assertThat(others).hasSize(400).noneMatch(r -> "lost".equals(r.key()));
            OutboxAssertions.assertOrderedPerKey(others, false);
            var dlq = TestKafka.consumeUntil(broker.bootstrapServers(), outbox.topicPrefix + ".dlq", r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(OutboxAssertions.header(dlq.get(0), "junction.outbox.error"))
                    .contains("'" + missing + "' does not exist", "auto.create.topics.enable=false");

            assertThat(Http.get(base + "/observe/health?exposureLevel=full&data=true").body()).contains(missing, "does not exist");
            assertThat(Http.get(base + "/observe/metrics").body()).contains("junction_outbox_blocked_topic{")
                    .contains("topic=\"" + missing + "\"");

            // The operator creates the topic and re-queues the row: the aggregate moves on, in order.
            createTopics(missing);
            assertThat(new OutboxMaintenance(outbox.configuration()).requeue(List.of(lost))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("published_at IS NULL") == 0);
            assertThat(TestKafka.consumeUntil(broker.bootstrapServers(), missing, r -> !r.isEmpty(), Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::key).containsExactly("lost");
            assertThat(TestKafka.readAll(broker.bootstrapServers(), outbox.topic("order")).stream()
                    .filter(r -> "lost".equals(r.key())).map(OutboxAssertions::seq)).containsExactly(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !Http.get(base + "/observe/health?exposureLevel=full&data=true").body().contains(missing));
        }
    }

    private static byte[] json(String aggregate, int seq) {
        return ("{\"aggregate\":\"" + aggregate + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }
}
