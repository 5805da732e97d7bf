package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.fanout.client.FanoutClient;
import org.junit.jupiter.api.Test;

/**
 * A network partition between one client and the daemon, mid-stream: the records it held are redelivered to the
 * other client after the ack timeout, and its acks that arrive once the partition heals change nothing.
 */
class FanoutPartitionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void recordsAtAPartitionedClientAreRedeliveredAndItsLateAcksChangeNothing() throws Exception {
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("camel.component.fanout.ackTimeoutMs", "1500"));
             PartitionableLink link = new PartitionableLink(fanout.port)) {
            Set<String> gotBehindTheLink = ConcurrentHashMap.newKeySet();
            List<FanoutClient.Received> held = new CopyOnWriteArrayList<>();
            // The far client acks its first 10 records at once and holds the next ones: they are in flight when the
            // link is cut, and it acks them behind the cut, as a client on the far side of a partition would.
            FanoutClient far = FanoutClient.builder().servers("localhost:" + link.port()).name("far").maxInFlight(20)
                    .handler(r -> {
                        gotBehindTheLink.add(FanoutFixture.got("far", r).value());
                        if (gotBehindTheLink.size() <= 10) {
                            r.ack();
                        } else {
                            held.add(r);
                        }
                    }).start();
            try {
                await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
                fanout.produce(1000);
                await().atMost(WAIT).until(() -> held.size() == 20 && fanout.service().delivered() == 10);
                link.cut();
                held.forEach(FanoutClient.Received::ack); // stuck in the cut link
                fanout.ackingClient("near", "");
                // After the ack timeout the daemon gives the far client's records to the near one.
                await().atMost(WAIT).until(() -> fanout.service().delivered() == 1000);
                long deliveredBeforeHeal = fanout.service().delivered();
                link.heal();
                // The far client's late acks reach a connection the daemon has closed: nothing is counted twice.
                await().during(Duration.ofSeconds(3)).atMost(WAIT)
                        .until(() -> fanout.service().delivered() == deliveredBeforeHeal);
                Set<String> all = ConcurrentHashMap.newKeySet();
                all.addAll(fanout.ackedValues().keySet());
                all.addAll(gotBehindTheLink);
                assertThat(all).hasSize(1000);
                assertThat(fanout.service().failedAttempts()).isEqualTo(20); // the held ones, redelivered once each
            } finally {
                far.close();
            }
        }
    }
}
