package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.FlowMetrics;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The {@code quic-sync:} component as a user meets it: a route of one's own on its URI options alone, one exchange
 * per confirmed batch; and a sender that starts every partition from what the receiver applied, whatever its group
 * committed.
 */
class QuicSyncSenderComponentTest extends TwoClusterTest {

    private static List<java.nio.file.Path> routes() {
        return List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml"), TestJunction.repoRoute("quic-sync-receiver.camel.yaml"));
    }

    @Test
    void aRouteOfItsOwnGetsOneExchangePerConfirmedBatch() throws Exception {
        String topic = fixture.topic("own-route");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 2);
        QuicSyncFixture.produce(topic, 2, 0, 4_000);
        Map<TopicPartition, AtomicLong> through = new ConcurrentHashMap<>();
        AtomicInteger exchanges = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")),
                fixture.properties(false, true))) {
            String uri = "quic-sync:localhost:" + fixture.port + "?brokers=" + TestKafka.bootstrap() + "&sourceCluster=site-a"
                    + "&topics=" + java.util.regex.Pattern.quote(topic) + "&groupId=" + TestKafka.uniqueName("own-route")
                    + "&trustCertFile=" + fixture.certs.cert() + "&token=RAW(" + QuicSyncFixture.TOKEN + ")&requestRecords=500"
                    + "&batchRecords=1000";
            receiver.camelContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("own-sender").process(e -> {
                        var m = e.getMessage();
                        assertThat(m.getBody()).as("no records in the exchange").isNull();
                        exchanges.incrementAndGet();
                        records.addAndGet(m.getHeader(QuicSyncConstants.RECORD_COUNT, Integer.class));
                        through.computeIfAbsent(new TopicPartition(m.getHeader(QuicSyncConstants.TOPIC, String.class),
                                m.getHeader(QuicSyncConstants.PARTITION, Integer.class)), tp -> new AtomicLong(-1))
                                .accumulateAndGet(m.getHeader(QuicSyncConstants.THROUGH_OFFSET, Long.class), Math::max);
                    });
                }
            });
            assertThat(fixture.awaitDestination(topic, 4_000, Duration.ofSeconds(60))).hasSize(4_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> records.get() == 4_000);
            assertThat(exchanges.get()).as("batches, not records").isBetween(8, 100);
            assertThat(through).containsOnlyKeys(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            through.values().forEach(last -> assertThat(last.get()).as("through the last offset").isEqualTo(1_999));
        }
    }

    /**
     * The group's committed offsets are wrong both ways while the sender is stopped: ahead of what the receiver
     * applied on partition 0 (as if all was mirrored), back at the beginning on partition 1. The sender seeks both to
     * what the receiver applied: nothing is lost, and nothing already mirrored is sent again.
     */
    @Test
    void everyPartitionStartsAfterWhatTheReceiverAppliedWhateverTheGroupCommitted() throws Exception {
        String topic = fixture.topic("committed-wrong");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 2);
        QuicSyncFixture.produce(topic, 2, 0, 2_000);
        Map<String, String> props = new HashMap<>(fixture.properties(true, true));
        String group = props.get("quic-sync.group");
        try (JunctionRuntime sync = TestJunction.start(routes(), props)) {
            assertThat(fixture.awaitDestination(topic, 2_000)).hasSize(2_000);
        }
        QuicSyncFixture.produce(topic, 2, 2_000, 1_000); // written while the sender is stopped
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            long end0 = admin.listOffsets(Map.of(p0, OffsetSpec.latest())).partitionResult(p0).get().offset();
            admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(end0), p1, new OffsetAndMetadata(0))).all().get();
        }
        try (JunctionRuntime sync = TestJunction.start(routes(), props)) {
            List<ConsumerRecord<String, String>> all = fixture.awaitDestination(topic, 3_000, Duration.ofSeconds(60));
            assertThat(all).extracting(QuicSyncFixture::seq).doesNotHaveDuplicates().hasSize(3_000);
            var sent = FlowMetrics.registry(sync.camelContext()).find("junction.quicsync.sent.records").counter();
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.count() >= 1_000);
            assertThat(sent.count()).as("only the records written while it was stopped are sent").isEqualTo(1_000);
        }
    }

    /** A source client setting Kafka refuses fails the route's start with Kafka's reason, instead of a sender that idles. */
    @Test
    void aSourceSettingKafkaRefusesFailsTheStart() throws Exception {
        try (JunctionRuntime receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")),
                fixture.properties(false, true))) {
            receiver.camelContext().getPropertiesComponent().addOverrideProperty("badsource.client.security.protocol", "NOPE");
            String uri = "quic-sync:localhost:" + fixture.port + "?brokers=" + TestKafka.bootstrap() + "&sourceCluster=site-a"
                    + "&kafkaCluster=badsource&trustCertFile=" + fixture.certs.cert() + "&token=RAW(" + QuicSyncFixture.TOKEN + ")";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> receiver.camelContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("bad-sender").log("never");
                }
            })).hasStackTraceContaining("security.protocol");
        }
    }
}
