package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The shipped quic-sync routes mirror topics between two real clusters over real QUIC on loopback. */
class QuicSyncMirrorTest extends TwoClusterTest {


    static List<Path> routes() {
        return List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml"), TestJunction.repoRoute("quic-sync-receiver.camel.yaml"));
    }

    @Test
    void tenThousandRecordsArriveExactlyWithKeysHeadersTimestampsAndPartitions() throws Exception {
        String topic = fixture.topic("orders");
        // Settings of the topic's own: the destination topic gets them (not min.insync.replicas, a cluster matter).
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3,
                Map.of("retention.ms", "-1", "max.message.bytes", "2000000", "min.insync.replicas", "1"));
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
                assertThat(r.timestamp()).isEqualTo(QuicSyncFixture.EPOCH + seq);
                assertThat(QuicSyncFixture.header(r, "trace")).isEqualTo("t-" + seq);
                assertThat(QuicSyncFixture.header(r, QuicSyncReceiver.ORIGIN_HEADER)).isEqualTo("site-a");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.destination.bootstrapServers()))) {
                ConfigResource created = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config settings = admin.describeConfigs(List.of(created)).all().get().get(created);
                assertThat(settings.get("retention.ms").value()).isEqualTo("-1");
                assertThat(settings.get("max.message.bytes").value()).isEqualTo("2000000");
                assertThat(settings.get("min.insync.replicas").source()).isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
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

    /**
     * Partitions added to a source topic (as MirrorMaker 2 does): the destination topic gets them too, and their
     * records keep their partition number.
     */
    @Test
    void partitionsAddedAtTheSourceAreAddedAtTheDestinationAndKeepTheirNumbers() throws Exception {
        String topic = fixture.topic("growing");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 2);
        QuicSyncFixture.produce(topic, 2, 0, 1_000);
        Map<String, String> properties = fixture.properties(true, true);
        properties.put("quic-sync.topic-discovery-ms", "1000"); // the sender's consumer sees new partitions soon
        try (JunctionRuntime sync = TestJunction.start(routes(), properties)) {
            assertThat(fixture.readDestination(topic, 1_000, Duration.ofSeconds(120))).hasSize(1_000);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
            }
            QuicSyncFixture.produce(topic, 4, 1_000, 2_000);
            // Read whole each time: a consumer made before the destination grew would not see the new partitions.
            List<ConsumerRecord<String, String>> mirrored = fixture.awaitDestination(topic, 3_000, Duration.ofSeconds(120));
            assertThat(mirrored).hasSize(3_000);
            assertThat(mirrored.stream().map(QuicSyncFixture::seq).distinct().count()).isEqualTo(3_000);
            for (ConsumerRecord<String, String> r : mirrored) {
                int seq = QuicSyncFixture.seq(r);
                assertThat(r.partition()).as("partition of record %d", seq).isEqualTo(seq < 1_000 ? seq % 2 : seq % 4);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.destination.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(4);
            }
        }
    }

    /** Settings changed at the source (as MirrorMaker 2 syncs them) reach the destination topic with its next batch. */
    @Test
    void settingsChangedAtTheSourceAreSetOnTheDestinationTopic() throws Exception {
        String topic = fixture.topic("retuned");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 1, Map.of("retention.ms", "86400000", "segment.ms", "3600000"));
        Map<String, String> properties = fixture.properties(true, true);
        properties.put("quic-sync.topic-settings-refresh-ms", "500");
        try (JunctionRuntime sync = TestJunction.start(routes(), properties);
             Admin source = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()));
             Admin destination = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.destination.bootstrapServers()))) {
            QuicSyncFixture.produce(topic, 1, 0, 100);
            assertThat(fixture.readDestination(topic, 100, Duration.ofSeconds(120))).hasSize(100);
            assertThat(ownSettings(destination, topic)).containsEntry("retention.ms", "86400000").containsEntry("segment.ms", "3600000");

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            source.incrementalAlterConfigs(Map.of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "172800000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "3000000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("segment.ms", null), AlterConfigOp.OpType.DELETE)))).all().get();
            int[] next = {100};
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                QuicSyncFixture.produce(topic, 1, next[0]++, 1); // settings travel with the topic's batches
                assertThat(ownSettings(destination, topic)).containsEntry("retention.ms", "172800000")
                        .containsEntry("max.message.bytes", "3000000").doesNotContainKey("segment.ms");
            });
            assertThat(fixture.awaitDestination(topic, next[0], Duration.ofSeconds(60))).hasSize(next[0]);
        }
    }

    /** The settings a topic has of its own (not defaults). */
    private static Map<String, String> ownSettings(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<String, String> own = new HashMap<>();
        for (ConfigEntry e : admin.describeConfigs(List.of(resource)).all().get().get(resource).entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                own.put(e.name(), e.value());
            }
        }
        return own;
    }

    /**
     * A transactional application: commit markers and aborted transactions leave gaps in the source offsets, in
     * small polls and requests so that many fall between two polls. Exactly the committed records arrive, in order,
     * and no gap is taken for a failure (no partition is read again).
     */
    @Test
    void onlyCommittedTransactionsAreMirroredAndTheirGapsAreNotMistakenForLoss() throws Exception {
        String topic = fixture.topic("transactional");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 2);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafka.uniqueName("application"));
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int txn = 0; txn < 300; txn++) {
                producer.beginTransaction();
                boolean abort = txn % 7 == 3;
                for (int i = 0; i < 1 + txn % 13; i++) {
                    String value = "{\"seq\":" + txn + ",\"i\":" + i + "}";
                    producer.send(new ProducerRecord<>(topic, i % 2, "k", value));
                    if (!abort) {
                        committed.add(value);
                    }
                }
                producer.flush(); // aborted records reach the log too
                if (abort) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
        Map<String, String> props = new HashMap<>(fixture.properties(true, true));
        props.put("quic-sync.batch-records", "37");
        props.put("quic-sync.request-records", "11");
        try (JunctionRuntime sync = TestJunction.start(routes(), props)) {
            var registry = dev.junction.observe.FlowMetrics.registry(sync.camelContext());
            List<ConsumerRecord<String, String>> mirrored = fixture.readDestination(topic, committed.size(), Duration.ofSeconds(120));
            assertThat(mirrored).hasSize(committed.size());
            for (int partition = 0; partition < 2; partition++) {
                int part = partition;
                assertThat(mirrored.stream().filter(r -> r.partition() == part).map(ConsumerRecord::value).toList())
                        .as("partition %d: the committed records, in order", partition)
                        .isEqualTo(java.util.stream.IntStream.range(0, committed.size()).filter(i -> {
                            String v = committed.get(i);
                            return Integer.parseInt(v.substring(v.lastIndexOf(':') + 1, v.length() - 1)) % 2 == part;
                        }).mapToObj(committed::get).toList());
            }
            assertThat(registry.find("junction.quicsync.source.read.again").counter().count()).as("partitions read again").isZero();
            Thread.sleep(2_000);
            assertThat(fixture.readAllOfDestination(topic)).hasSize(committed.size());
        }
    }
}
