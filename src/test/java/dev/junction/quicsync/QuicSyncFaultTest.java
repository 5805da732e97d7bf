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
 * While an application keeps producing, the receiver is stopped and restarted, then the sender (a JVM of its own)
 * is killed with SIGKILL and started again: the destination holds every record exactly once, in order.
 */
class QuicSyncFaultTest extends TwoClusterTest {

    private static final int TOTAL = 30_000;



    private ForkedJunction startSender(String name) throws Exception {
        return fixture.forkedSender(dir.resolve(name + ".log"), Map.of());
    }

    @Test
    void receiverRestartAndSenderSigkillLoseNothingAndDuplicateNothing() throws Exception {
        String topic = fixture.topic("events");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        // The application: 30,000 records at about 2,500/s, in the background for the whole test.
        Thread application = QuicSyncFixture.application(topic, 3, TOTAL, 250);

        DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), topic);
        String firstSenderLog = "(the first sender was not killed)";
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
                firstSenderLog = sender.log();
                assertThat(destination.count()).isLessThan(TOTAL);
            } finally {
                sender.close();
            }
            try (ForkedJunction restarted = startSender("sender-2")) {
                try {
                    await().atMost(Duration.ofSeconds(120)).until(() -> destination.count() >= TOTAL || !restarted.isAlive());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(destination.count() + " of " + TOTAL + " records arrived (" + perPartition(destination)
                            + "); a fresh read_committed consumer sees " + fixture.readDestination(topic, TOTAL, Duration.ofSeconds(10)).size()
                            + "; receiver: " + appliedOffsets(receiver, topic) + "; the first sender's log:\n" + firstSenderLog
                            + "\nthe second sender's log:\n" + restarted.log(), e);
                }
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

    /** Per destination partition: how many records, and the highest sequence number among them. */
    private static String perPartition(DestinationReader destination) {
        StringBuilder s = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            int partition = p;
            var in = destination.records().stream().filter(r -> r.partition() == partition).toList();
            s.append("p").append(p).append(": ").append(in.size()).append(" up to seq ")
                    .append(in.stream().mapToInt(QuicSyncFixture::seq).max().orElse(-1));
            var seen = in.stream().map(QuicSyncFixture::seq).collect(java.util.stream.Collectors.toSet());
            int missingFrom = -1;
            for (int seq = partition; seq < TOTAL; seq += 3) {
                if (!seen.contains(seq) && missingFrom < 0) {
                    missingFrom = seq;
                } else if (seen.contains(seq) && missingFrom >= 0) {
                    s.append(" missing ").append(missingFrom).append("..").append(seq - 3);
                    missingFrom = -1;
                }
            }
            s.append("; ");
        }
        return s.toString().trim();
    }

    private static String appliedOffsets(JunctionRuntime receiver, String topic) {
        return receiver.camelContext().createProducerTemplate().request("quic:localhost:" + fixture.port + "?trustCertFile="
                + fixture.certs.cert() + "&token=" + QuicSyncFixture.TOKEN + "&throwExceptionOnFailure=false", e -> {
                    e.getMessage().setHeader(org.apache.camel.Exchange.HTTP_METHOD, "GET");
                    e.getMessage().setHeader(org.apache.camel.Exchange.HTTP_PATH, "/v1/topics/" + topic + "/offsets?source=site-a");
                }).getMessage().getBody(String.class);
    }
}
