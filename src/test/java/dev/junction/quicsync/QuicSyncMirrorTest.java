package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The shipped quic-sync routes mirror topics between two real clusters over real QUIC on loopback. */
class QuicSyncMirrorTest extends TwoClusterTest {


    static List<Path> routes() {
        return List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml"), TestJunction.repoRoute("quic-sync-receiver.camel.yaml"));
    }

    @Test
    void tenThousandRecordsArriveExactlyWithKeysHeadersTimestampsAndPartitions() throws Exception {
        String topic = fixture.topic("orders");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        QuicSyncFixture.produce(topic, 3, 0, 10_000);
        try (JunctionRuntime sync = TestJunction.start(routes(), fixture.properties(true, true))) {
            List<ConsumerRecord<String, String>> mirrored = fixture.readDestination(topic, 10_000, Duration.ofSeconds(120));
            assertThat(mirrored).hasSize(10_000);
            int[] next = new int[3];
            for (ConsumerRecord<String, String> r : mirrored) {
                int seq = QuicSyncFixture.seq(r);
                assertThat(r.partition()).as("same partition number").isEqualTo(seq % 3);
                assertThat(seq).as("order within partition %d", r.partition()).isEqualTo(next[r.partition()] * 3 + r.partition());
                next[r.partition()]++;
                assertThat(r.key()).isEqualTo("k-" + (seq % 50));
                assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L + seq);
                assertThat(QuicSyncFixture.header(r, "trace")).isEqualTo("t-" + seq);
                assertThat(QuicSyncFixture.header(r, QuicSyncReceiver.ORIGIN_HEADER)).isEqualTo("site-a");
            }
            // A little later nothing more has arrived: no duplicates.
            Thread.sleep(3_000);
            assertThat(fixture.readAllOfDestination(topic)).hasSize(10_000);
            // Every partition's replication lag is measured, and is 0 once all is confirmed.
            var registry = dev.junction.observe.FlowMetrics.registry(sync.camelContext());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int p = 0; p < 3; p++) {
                    var lag = registry.find("junction.quicsync.replication.lag").tag("topic", topic).tag("partition", String.valueOf(p)).gauge();
                    assertThat(lag).as("lag gauge of partition %d", p).isNotNull();
                    assertThat(lag.value()).isZero();
                }
            });
        }
    }
}
