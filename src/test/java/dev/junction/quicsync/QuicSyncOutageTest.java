package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The receiver is away for longer than the sender retries a poll's batches (many of each partition in flight): the
 * sender gives them up, reads again from its committed offsets, and the destination still holds every record once,
 * in order.
 */
class QuicSyncOutageTest extends TwoClusterTest {

    @Test
    void anOutageLongerThanTheRetryTimeMakesTheSenderReadAgainAndNothingIsLostOrDuplicated() throws Exception {
        String topic = fixture.topic("outage");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        int total = 9_000;
        QuicSyncFixture.produce(topic, 3, 0, 3_000);
        DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), topic);
        // Small polls and requests: many batches of each partition in flight when the receiver goes away.
        Map<String, String> settings = Map.of("quic-sync.batch-records", "1500", "quic-sync.request-records", "200",
                "quic-sync.batch-retry-ms", "2000", "quic-sync.request-timeout-ms", "1000");
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")),
                fixture.properties(false, true));
             ForkedJunction sender = fixture.forkedSender(dir.resolve("sender-outage.log"), settings)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 1_000 || !sender.isAlive());
            var routes = receiver.camelContext().getRouteController();
            routes.stopRoute("quic-sync-receiver");
            QuicSyncFixture.produce(topic, 3, 3_000, 6_000); // written while the link is down
            Thread.sleep(6_000); // the outage itself: three times the sender's retry time
            routes.startRoute("quic-sync-receiver");
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> destination.count() >= total || !sender.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(destination.count() + " of " + total + " records arrived; the sender's log:\n" + sender.log(), e);
            }
            assertThat(sender.isAlive()).as(sender.log()).isTrue();
            // It gave up on the receiver (a batch, or asking what it applied) and read from the source again.
            assertThat(sender.log()).as("the sender gave up and read again")
                    .containsAnyOf("not confirmed within 2000 ms", "could not learn what the receiver applied");
        }
        Thread.sleep(3_000); // anything still coming would be a duplicate
        destination.close();
        int[] next = new int[3];
        for (ConsumerRecord<String, String> r : destination.records()) {
            int seq = QuicSyncFixture.seq(r);
            assertThat(seq).as("order in partition %d, each once", r.partition()).isEqualTo(next[r.partition()] * 3 + r.partition());
            next[r.partition()]++;
        }
        assertThat(destination.records()).hasSize(total);
    }
}
