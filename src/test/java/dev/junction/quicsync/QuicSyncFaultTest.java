package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * While an application keeps producing, the receiver is stopped and restarted, then the sender (a JVM of its own)
 * is killed with SIGKILL and started again: the destination holds every record exactly once, in order.
 */
class QuicSyncFaultTest extends TwoClusterTest {

    private static final int TOTAL = 30_000;



    private ForkedJunction startSender(String name) throws Exception {
        Map<String, String> props = new java.util.HashMap<>(fixture.properties(true, false));
        props.put("kafka.bootstrap", TestKafka.bootstrap());
        props.put("camel.management.port", String.valueOf(Ports.freePort()));
        return ForkedJunction.start(dir.resolve(name + ".log"), props,
                "run", "--routes", TestJunction.repoRoute("quic-sync-sender.camel.yaml").toString());
    }

    @Test
    void receiverRestartAndSenderSigkillLoseNothingAndDuplicateNothing() throws Exception {
        String topic = fixture.topic("events");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        // The application: 30,000 records at about 2,500/s, in the background for the whole test.
        Thread application = new Thread(() -> {
            for (int from = 0; from < TOTAL; from += 250) {
                QuicSyncFixture.produce(topic, 3, from, 250);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "application");

        DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), topic);
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")),
                fixture.properties(false, true))) {
            ForkedJunction sender = startSender("sender-1");
            application.start();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 4_000 || !sender.isAlive());
                assertThat(sender.isAlive()).as(sender.log()).isTrue();

                // The receiver goes away for 3 s; the sender keeps retrying the same batch.
                var routes = receiver.camelContext().getRouteController();
                routes.stopRoute("quic-sync-receiver");
                long during = destination.count();
                Thread.sleep(3_000); // the outage itself
                assertThat(destination.count()).isEqualTo(during);
                routes.startRoute("quic-sync-receiver");

                await().atMost(Duration.ofSeconds(90)).until(() -> destination.count() >= 15_000);
                sender.kill(); // SIGKILL mid-stream: no shutdown, offsets of the batch in flight not committed
                assertThat(destination.count()).isLessThan(TOTAL);
            } finally {
                sender.close();
            }
            try (ForkedJunction restarted = startSender("sender-2")) {
                await().atMost(Duration.ofSeconds(120)).until(() -> destination.count() >= TOTAL || !restarted.isAlive());
                assertThat(restarted.isAlive()).as(restarted.log()).isTrue();
                application.join();
                await().atMost(Duration.ofSeconds(60)).until(() -> destination.count() >= TOTAL);
            }
        } finally {
            application.interrupt();
        }
        Thread.sleep(3_000); // anything still coming would be a duplicate
        destination.close();
        List<ConsumerRecord<String, String>> records = destination.records();
        Set<Integer> seqs = new HashSet<>();
        int[] next = new int[3];
        for (ConsumerRecord<String, String> r : records) {
            int seq = QuicSyncFixture.seq(r);
            assertThat(seqs.add(seq)).as("record %d once", seq).isTrue();
            assertThat(seq).as("order in partition %d", r.partition()).isEqualTo(next[r.partition()] * 3 + r.partition());
            next[r.partition()]++;
        }
        assertThat(records).hasSize(TOTAL);
    }
}
