package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.testing.Http;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;

/** The shipped fanout route on a real broker with real TCP clients: shares, redelivery, pausing, dead letters. */
class FanoutDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void threeClientsGetAnEvenRoundRobinShare() {
        try (FanoutFixture fanout = new FanoutFixture(3, Map.of())) {
            for (String name : new String[] {"a", "b", "c"}) {
                // Room for a third of the records each: a client at its max in flight is skipped rather than waited
                // for (a slow client must not hold the others back), and on a loaded machine any client thread may
                // fall behind for a moment. With room everywhere, the turns alone decide the shares.
                fanout.ackingClient(name, "", 1000);
            }
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 3);
            fanout.produce(3000);
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 3000);
            for (String name : new String[] {"a", "b", "c"}) {
                // Two rotations, each exact: the stable group's, and the canary share's, which passes to any client
                // while no canary is connected. Each leaves a client at most one record ahead.
                assertThat(fanout.ackedBy(name)).as("records acked by %s", name).isBetween(998L, 1002L);
            }
            assertThat(fanout.acked).hasSize(3000); // nothing twice

            // Its figures on the management port: clients, delivered records, the daemon's health.
            String base = "http://localhost:" + fanout.runtime.camelContext().getPropertiesComponent()
                    .resolveProperty("camel.management.port").orElseThrow();
            await().atMost(WAIT).untilAsserted(() -> assertThat(Http.get(base + "/observe/metrics").body())
                    .containsPattern("junction_fanout_clients\\{[^}]*id=\"" + fanout.id + "\"[^}]*} 3")
                    .containsPattern("junction_flow_records_total\\{[^}]*flow=\"fanout\"[^}]*} 3000"));
            await().atMost(WAIT).until(() -> Http.get(base + "/observe/health").body().contains("UP"));
        }
    }

    @Test
    void aCanaryWeightedAtTenPercentGetsItWithinTwoPoints() {
        try (FanoutFixture fanout = new FanoutFixture(3, Map.of("fanout.stable-weight", "90", "fanout.canary-weight", "10"))) {
            fanout.ackingClient("stable-1", "stable");
            fanout.ackingClient("stable-2", "");
            fanout.ackingClient("canary-1", "canary");
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 3);
            fanout.produce(5000);
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 5000);
            double canaryShare = fanout.ackedBy("canary-1") / 5000.0;
            assertThat(canaryShare).isBetween(0.08, 0.12);
            assertThat(fanout.ackedBy("stable-1") + fanout.ackedBy("stable-2")).isEqualTo(5000 - fanout.ackedBy("canary-1"));
        }
    }

    @Test
    void recordsInFlightAtADisconnectedClientGoToTheOthers() {
        try (FanoutFixture fanout = new FanoutFixture(2, Map.of())) {
            Set<String> heldByDoomed = ConcurrentHashMap.newKeySet();
            FanoutClient doomed = fanout.client("doomed", "", 50, r -> heldByDoomed.add(FanoutFixture.got("doomed", r).value()));
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
            fanout.produce(500);
            await().atMost(WAIT).until(() -> heldByDoomed.size() == 50); // it holds its maximum, acks none
            fanout.ackingClient("survivor-1", "");
            fanout.ackingClient("survivor-2", "");
            doomed.disconnect();
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 500);
            assertThat(fanout.ackedValues().keySet()).containsAll(heldByDoomed);
            assertThat(fanout.acked.stream().filter(g -> heldByDoomed.contains(g.value())))
                    .allSatisfy(g -> assertThat(g.attempt()).isGreaterThan(1));
        }
    }

    @Test
    void withNoClientConsumptionPausesAndResumesWithoutLossWhenOneConnects() {
        try (FanoutFixture fanout = new FanoutFixture(2, Map.of("fanout.buffer-size", "100"))) {
            await().atMost(WAIT).until(() -> fanout.service().isLeader());
            fanout.produce(2000);
            // Paused: what it read before pausing is bounded by the buffer plus one poll, far from the whole topic.
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> fanout.service().waiting() <= 1100);
            fanout.ackingClient("late", "");
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 2000);
            assertThat(fanout.acked).hasSize(2000);
        }
    }

    @Test
    void aClientThatNeverAcksIsCutOffAfterTheAckTimeoutAndItsRecordsRedelivered() {
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("camel.component.fanout.ackTimeoutMs", "1000"))) {
            FanoutClient silent = fanout.client("silent", "", 10, r -> fanout.received.add(FanoutFixture.got("silent", r)));
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
            fanout.produce(100);
            await().atMost(WAIT).until(() -> fanout.received.size() >= 10);
            fanout.ackingClient("worker", "");
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 100);
            assertThat(silent.lastCloseReason()).contains("no ACK for delivery").contains("fanout.ack-timeout-ms");
        }
    }

    @Test
    void aRecordRefusedByEveryClientGoesToTheDeadLetterTopicWithTheReason() {
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("fanout.max-redeliveries", "2"))) {
            fanout.client("refuser", "", 10, r -> {
                if (FanoutFixture.got("refuser", r).value().equals("record-3")) {
                    r.nack("cannot parse it");
                } else {
                    fanout.acked.add(FanoutFixture.got("refuser", r));
                    r.ack();
                }
            });
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
            fanout.produce(10);
            var dead = TestKafka.consumeUntil(fanout.topic + ".dlq", r -> !r.isEmpty(), WAIT);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo("record-3");
            assertThat(new String(dead.get(0).headers().lastHeader("fanout.reason").value())).contains("cannot parse it");
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 9);
        }
    }
}
