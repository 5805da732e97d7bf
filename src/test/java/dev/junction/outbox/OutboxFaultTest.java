package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The relay is killed, Kafka goes away, two relays compete: every event still arrives, in order per aggregate. */
class OutboxFaultTest {

    private static final int BATCH = 500;

    @TempDir
    Path dir;

    private static Map<String, String> props(OutboxFixture outbox) {
        Map<String, String> p = new HashMap<>(outbox.properties());
        p.put("outbox.batch-size", String.valueOf(BATCH));
        return p;
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, OutboxFixture outbox, int events) {
        List<ConsumerRecord<String, String>> all = new java.util.ArrayList<>();
        for (String type : List.of("order", "customer")) {
            all.addAll(TestKafka.consumeUntil(bootstrap, outbox.topic(type),
                    r -> OutboxAssertions.eventIds(r).size() >= events / 2, Duration.ofSeconds(60)));
        }
        return all;
    }

    private static void assertEveryEventInOrder(List<ConsumerRecord<String, String>> records, int events, int maxDuplicates) {
        assertThat(OutboxAssertions.eventIds(records)).hasSize(events);
        OutboxAssertions.assertOrderedPerKey(records, true);
        assertThat(records.size() - events).as("duplicates").isLessThanOrEqualTo(maxDuplicates);
    }

    /**
     * The leader is killed while it holds a claim, with a standby already waiting for the lock. On MariaDB the
     * standby gets the lock while the dead session's transaction is still rolling back; it must wait for it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aLeaderKilledWithSigkillMidStreamLosesNothingAndItsStandbyKeepsOrder(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        int first = 2_000;
        int events = 40_000;
        outbox.insertEvents(first, 50, 0);

        // The relay in a JVM of its own, configured only through environment variables, as in production.
        try (ForkedJunction relay = ForkedJunction.start(dir.resolve("relay.log"), forkedProperties(outbox),
                "run", "--routes", TestJunction.repoRoute("outbox-relay.camel.yaml").toString())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> outbox.count("published_at IS NOT NULL") > 0 || !relay.isAlive());
            assertThat(relay.isAlive()).as(relay.log()).isTrue();
            try (JunctionRuntime standby = TestJunction.start(List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), props(outbox))) {
                assertThat(leader(standby)).isFalse();
                // The application goes on writing; the leader is killed while rows wait and it holds a claim.
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    try {
                        outbox.insertEvents(events - first, 50, first / 50);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(90)).until(() -> outbox.count("published_at IS NOT NULL") >= 8000);
                relay.kill(); // SIGKILL: no shutdown hook, no commit of the batch in flight
                writing.get();
                // What the standby has to do: the rows the leader had not published (the writer outruns the relay).
                assertThat(outbox.count("published_at IS NULL")).isPositive();
                await().atMost(Duration.ofSeconds(120)).until(() -> outbox.count("published_at IS NULL") == 0);
                assertThat(leader(standby)).isTrue();
            }
        }
        // Duplicates only from the batch that was in flight when the relay died.
        assertEveryEventInOrder(readAll(TestKafka.bootstrap(), outbox, events), events, BATCH);
    }

    @Test
    void kafkaStoppedForTenSecondsDuringPublishing() throws Exception {
        OutboxFixture outbox = OutboxFixture.on("mariadb");
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        int port = broker.port();
        int events = 10_000;
        try {
            var config = TestJunction.config(broker.bootstrapServers(), props(outbox));
            try (JunctionRuntime relay = JunctionRuntime.start(config, List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), false)) {
                outbox.insertEvents(events / 2, 40, 0);
                await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NOT NULL") >= 1000);
                broker.close();
                // While Kafka is away the application keeps writing events.
                outbox.insertEvents(events / 2, 40, events / 2 / 40);
                Thread.sleep(10_000); // the outage itself, not a wait for a condition
                assertThat(outbox.count("published_at IS NULL")).isPositive();
                broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
                await().atMost(Duration.ofSeconds(180)).until(() -> outbox.count("published_at IS NULL") == 0);
            }
            assertEveryEventInOrder(readAll(broker.bootstrapServers(), outbox, events), events, BATCH);
        } finally {
            broker.closeAndDelete();
        }
    }

    @Test
    void twoRelaysOnOneTableNeitherDuplicateNorReorderAndTheSecondTakesOver() throws Exception {
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        int events = 8_000;
        List<Path> route = List.of(TestJunction.repoRoute("outbox-relay.camel.yaml"));
        // Two relay processes on one table: the first (its own JVM) leads; the second waits on the lock.
        try (ForkedJunction first = ForkedJunction.start(dir.resolve("first.log"), forkedProperties(outbox),
                "run", "--routes", route.get(0).toString())) {
            outbox.insertEvents(events / 2, 40, 0);
            await().atMost(Duration.ofSeconds(90)).until(() -> outbox.count("published_at IS NULL") == 0 || !first.isAlive());
            assertThat(first.isAlive()).as(first.log()).isTrue();
            try (JunctionRuntime second = TestJunction.start(route, props(outbox))) {
                outbox.insertEvents(events / 4, 40, events / 2 / 40);
                await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
                assertThat(leader(second)).as("the second relay waits while the first leads").isFalse();

                // SIGTERM: a graceful stop releases the lock (143 = the JVM's exit code after SIGTERM).
                assertThat(first.terminate()).isIn(0, 143);
                assertThat(first.log()).contains("Outbox relay on outbox stopped");
                outbox.insertEvents(events / 4, 40, events * 3 / 4 / 40);
                await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
                assertThat(leader(second)).isTrue();
            }
        }
        // A graceful hand-over: no batch was in flight, so no duplicates at all.
        assertEveryEventInOrder(readAll(TestKafka.bootstrap(), outbox, events), events, 0);
    }

    /** The fixture's properties plus this JVM's broker and a free management port, for a forked Junction. */
    private static Map<String, String> forkedProperties(OutboxFixture outbox) {
        Map<String, String> p = props(outbox);
        p.put("kafka.bootstrap", TestKafka.bootstrap());
        p.put("camel.management.port", String.valueOf(Ports.freePort()));
        return p;
    }

    private static boolean leader(JunctionRuntime runtime) {
        return runtime.camelContext().getRoute("outbox-relay").getConsumer() instanceof OutboxConsumer c && c.isLeader();
    }
}
