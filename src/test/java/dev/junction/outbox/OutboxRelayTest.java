package dev.junction.outbox;

import static dev.junction.outbox.OutboxAssertions.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped outbox-relay route against real PostgreSQL and MariaDB and a real broker. */
class OutboxRelayTest {

    private static JunctionRuntime startRelay(OutboxFixture outbox, Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(outbox.properties());
        props.putAll(extra);
        return TestJunction.start(List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), props);
    }

    static List<ConsumerRecord<String, String>> readBoth(OutboxFixture outbox, int expected) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        all.addAll(TestKafka.consumeUntil(outbox.topic("order"), r -> r.size() >= expected / 2, Duration.ofSeconds(60)));
        all.addAll(TestKafka.consumeUntil(outbox.topic("customer"), r -> r.size() >= expected / 2, Duration.ofSeconds(60)));
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void everyRowReachesKafkaOnceInOrderWithKeyAndHeaders(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(1000, 20, 0);
        try (JunctionRuntime relay = startRelay(outbox, Map.of())) {
            outbox.insertEvents(1000, 20, 50); // while running: seq 50..99 of each aggregate
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
            List<ConsumerRecord<String, String>> records = readBoth(outbox, 2000);

            assertThat(records).hasSize(2000);
            assertThat(OutboxAssertions.eventIds(records)).hasSize(2000);
            OutboxAssertions.assertOrderedPerKey(records, false);
            ConsumerRecord<String, String> r = records.get(0);
            assertThat(r.key()).startsWith("agg-");
            assertThat(r.value()).contains("\"aggregate\":\"" + r.key() + "\"");
            assertThat(header(r, "event_type")).isEqualTo("Changed");
            assertThat(header(r, "aggregate_type")).isEqualTo("order");
            assertThat(header(r, "event_id")).matches("[0-9a-f-]{36}");
            assertThat(header(r, "tenant")).matches("t[0-2]");
            assertThat(header(r, "seq")).isEqualTo(String.valueOf(OutboxAssertions.seq(r)));
            assertThat(outbox.count("published_at IS NOT NULL")).isEqualTo(2000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void withDeletePublishedEveryRowReachesKafkaOnceInOrderAndLeavesTheTable(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(1000, 20, 0);
        try (JunctionRuntime relay = startRelay(outbox, Map.of("outbox.delete-published", "true"))) {
            outbox.insertEvents(1000, 20, 50);
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("1 = 1") == 0);
            List<ConsumerRecord<String, String>> records = readBoth(outbox, 2000);
            assertThat(records).hasSize(2000);
            assertThat(OutboxAssertions.eventIds(records)).hasSize(2000);
            OutboxAssertions.assertOrderedPerKey(records, false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aPoisonRowIsDeadLetteredAndHoldsBackOnlyItsOwnAggregate(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        // Aggregate "bad": an invalid topic, then a good event. Aggregate "huge": a record over the size limit.
        // Aggregate "mangled": headers that are not JSON. Around them, 200 good events of other aggregates.
        outbox.insertEvents(100, 10, 0);
        long badId = outbox.insertOne("order", "bad", "not a valid topic!", null, json("bad", 0));
        long afterBad = outbox.insertOne("order", "bad", null, null, json("bad", 1));
        long hugeId = outbox.insertOne("order", "huge", null, null, new byte[2_000_000]);
        long mangledId = outbox.insertOne("order", "mangled", null, "{not json", json("mangled", 0));
        outbox.insertEvents(100, 10, 10);

        try (JunctionRuntime relay = startRelay(outbox, Map.of("outbox.max-attempts", "3"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("failed_at IS NOT NULL") == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("published_at IS NOT NULL") == 200);

            // Every other aggregate went through, in order.
            var records = readBoth(outbox, 200);
            assertThat(records).hasSize(200);
            OutboxAssertions.assertOrderedPerKey(records, false);
            // The poison rows were tried 3 times, dead-lettered with the reason, and hold back their aggregate.
            assertThat(outbox.count("id IN (" + badId + "," + hugeId + "," + mangledId + ") AND attempts = 3 AND failed_at IS NOT NULL")).isEqualTo(3);
            assertThat(outbox.count("id = " + afterBad + " AND published_at IS NULL AND failed_at IS NULL")).isEqualTo(1);
            var dlq = TestKafka.consumeUntil(outbox.topicPrefix + ".dlq", r -> r.size() >= 3, Duration.ofSeconds(30));
            assertThat(dlq).hasSize(3);
            assertThat(dlq).extracting(r -> header(r, "junction.outbox.error"))
                    .anySatisfy(e -> assertThat(e).contains("invalid topic name"))
                    .anySatisfy(e -> assertThat(e).contains("larger than"))
                    .anySatisfy(e -> assertThat(e).contains("not valid JSON"));

            // The operator fixes the topic and re-queues the row: the aggregate moves on, in order.
            outbox.execute("UPDATE outbox SET topic = NULL WHERE id = " + badId);
            assertThat(new OutboxMaintenance(outbox.configuration()).requeue(List.of(badId))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("id IN (" + badId + "," + afterBad + ") AND published_at IS NOT NULL") == 2);
            var bad = TestKafka.consumeUntil(outbox.topic("order"), r -> r.stream().filter(x -> "bad".equals(x.key())).count() >= 2, Duration.ofSeconds(30))
                    .stream().filter(x -> "bad".equals(x.key())).toList();
            assertThat(bad).extracting(OutboxAssertions::seq).containsExactly(0, 1);
            // Giving up the other two lets nothing else through by accident: they stay in the dead-letter topic.
            assertThat(new OutboxMaintenance(outbox.configuration()).skip(List.of(hugeId, mangledId))).isEqualTo(2);
            assertThat(outbox.count("failed_at IS NOT NULL AND published_at IS NULL")).isZero();
        }
    }

    private static byte[] json(String aggregate, int seq) {
        return ("{\"aggregate\":\"" + aggregate + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }
}
