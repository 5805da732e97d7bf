package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Topic include/exclude, a message filter in any Camel language, MirrorMaker-style renaming and loop prevention. */
class QuicSyncFilterTest extends TwoClusterTest {


    @Test
    void onlySelectedTopicsAndMessagesAreMirroredUnderTheNewNameAndNothingLoopsBack() throws Exception {
        String orders = fixture.topic("orders");
        String secret = fixture.topic("secret");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), orders, 3);
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), secret, 1);
        QuicSyncFixture.produce(orders, 3, 0, 1000);  // every 10th is an "audit" record
        QuicSyncFixture.produce(secret, 1, 0, 100);
        // 50 records that were mirrored here from site-b earlier: they must not go back there.
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                ProducerRecord<String, String> r = new ProducerRecord<>(orders, 0, "k", "{\"seq\":-1,\"kind\":\"normal\"}");
                r.headers().add(QuicSyncReceiver.ORIGIN_HEADER, "site-b".getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
        }

        Map<String, String> props = new java.util.HashMap<>(fixture.properties(true, true));
        props.put("quic-sync.topics.exclude", ".*[.]secret");
        props.put("quic-sync.message-filter", "${bodyAs(String)} not contains '\"kind\":\"audit\"'");
        props.put("quic-sync.topic-prefix", "site-a.");
        String renamed = "site-a." + orders;
        try (JunctionRuntime sync = TestJunction.start(QuicSyncMirrorTest.routes(), props);
             DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), renamed)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> destination.count() >= 900);
            Thread.sleep(3_000); // anything filtered out that still arrived would show now
            var records = destination.records();
            assertThat(records).hasSize(900);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.value()).doesNotContain("audit").doesNotContain("\"seq\":-1");
                assertThat(QuicSyncFixture.header(r, QuicSyncReceiver.ORIGIN_HEADER)).isEqualTo("site-a");
            });
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.destination.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains(renamed).doesNotContain(orders, secret, "site-a." + secret);
        }
    }
}
