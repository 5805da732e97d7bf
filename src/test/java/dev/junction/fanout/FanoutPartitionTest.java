package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
            FanoutClient far = FanoutClient.builder().servers("localhost:" + link.port()).name("far").maxInFlight(20)
                    .handler(r -> {
                        gotBehindTheLink.add(FanoutFixture.got("far", r).value());
                        r.ack();
                    }).start();
            try {
                await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
                fanout.produce(1000);
                await().atMost(WAIT).until(() -> fanout.service().delivered() >= 10);
                link.cut();
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
                assertThat(fanout.service().failedAttempts()).isGreaterThan(0);
            } finally {
                far.close();
            }
        }
    }
}
