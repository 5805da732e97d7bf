package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped quic-sync routes on the native transport (quic-sync.transport=native), and with one end on each
 * transport: every record arrives once, in order per partition.
 */
class QuicSyncNativeTransportTest extends TwoClusterTest {

    @ParameterizedTest(name = "sender {0}, receiver {1}")
    @CsvSource({"native, native", "kwik, native", "native, kwik"})
    void recordsArriveOnceAndInOrder(String senderTransport, String receiverTransport) throws Exception {
        String topic = fixture.topic("transport-" + senderTransport + "-" + receiverTransport);
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        QuicSyncFixture.produce(topic, 3, 0, 6_000);
        Map<String, String> receiverProps = new HashMap<>(fixture.properties(false, true));
        receiverProps.put("quic-sync.transport", receiverTransport);
        Map<String, String> senderProps = new HashMap<>(fixture.properties(true, false));
        senderProps.put("quic-sync.transport", senderTransport);
        // Each end in a Junction of its own, with its own transport (closed together at the end).
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")), receiverProps);
             JunctionRuntime sender = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml")), senderProps)) {
            List<ConsumerRecord<String, String>> mirrored = fixture.readDestination(topic, 6_000, Duration.ofSeconds(120));
            assertThat(mirrored).hasSize(6_000);
            int[] next = new int[3];
            for (ConsumerRecord<String, String> r : mirrored) {
                int seq = QuicSyncFixture.seq(r);
                assertThat(seq).as("order within partition %d", r.partition()).isEqualTo(next[r.partition()] * 3 + r.partition());
                next[r.partition()]++;
            }
        }
    }
}
