package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Senders of one group come and go while an application keeps producing: a second sender joins (the partitions are
 * split); the receiver goes away for longer than the senders retry a batch, and the second sender is killed with
 * SIGKILL meanwhile (its partitions come back after the session timeout); a third joins and the first stops. Every
 * rebalance happens while batches are in flight or given up and records are held by the consumers. The destination
 * holds every record exactly once, in order.
 */
class QuicSyncRebalanceTest extends TwoClusterTest {

    private static final int TOTAL = 30_000;
    /** Small polls and requests: many batches in flight and records held at each rebalance; batches given up soon. */
    private static final Map<String, String> SETTINGS = Map.of("quic-sync.batch-records", "1500", "quic-sync.request-records", "200",
            "quic-sync.batch-retry-ms", "2000", "quic-sync.request-timeout-ms", "1000");

    private ForkedJunction sender(String name) throws Exception {
        return fixture.forkedSender(dir.resolve(name + ".log"), SETTINGS);
    }

    @Test
    void sendersJoiningAndLeavingTheGroupLoseNothingAndDuplicateNothing() throws Exception {
        String topic = fixture.topic("churn");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 6);
        Thread application = QuicSyncFixture.application(topic, 6, TOTAL, 300); // about 3,000 records/s
        DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), topic);
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")),
                fixture.properties(false, true));
             ForkedJunction first = sender("sender-1")) {
            application.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 3_000 || !first.isAlive());
            try (ForkedJunction second = sender("sender-2")) {
                await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 9_000);
                var routes = receiver.camelContext().getRouteController();
                routes.stopRoute("quic-sync-receiver");
                second.kill(); // its partitions come back to the first sender after the session timeout
                Thread.sleep(6_000); // the outage itself: three times the senders' retry time
                routes.startRoute("quic-sync-receiver");
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 15_000);
            try (ForkedJunction third = sender("sender-3")) {
                await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 20_000);
                assertThat(first.terminate()).as("the first sender stops on SIGTERM").isIn(0, 143);
                application.join();
                await().atMost(Duration.ofSeconds(120)).until(() -> destination.count() >= TOTAL || !third.isAlive());
                assertThat(third.isAlive()).as(third.log()).isTrue();
            }
        } finally {
            application.interrupt();
        }
        Thread.sleep(3_000); // anything still coming would be a duplicate
        destination.close();
        Set<Integer> seen = new HashSet<>();
        int[] next = new int[6];
        for (ConsumerRecord<String, String> r : destination.records()) {
            int seq = QuicSyncFixture.seq(r);
            assertThat(seen.add(seq)).as("record %d once", seq).isTrue();
            assertThat(seq).as("order in partition %d", r.partition()).isEqualTo(next[r.partition()] * 6 + r.partition());
            next[r.partition()]++;
        }
        assertThat(destination.records()).hasSize(TOTAL);
    }
}
