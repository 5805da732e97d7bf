package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import dev.junction.support.KafkaCluster;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The receiver's offsets topic read at start. Records that are not offsets (written there by something else than a
 * receiver) once stopped the receiver from starting ("For input string"); they are now ignored, and the real
 * offsets still count.
 */
class MirrorOffsetsTest {

    @Test
    void recordsThatAreNotOffsetsAreIgnoredAndTheRealOnesLoad() throws Exception {
        String topic = TestKafka.uniqueName("offsets");
        TestKafka.createTopic(topic, 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "site-a/orders/0", "41"));
            producer.send(new ProducerRecord<>(topic, 0, "site-a/orders/1", "not a number"));
            producer.send(new ProducerRecord<>(topic, 0, "site-a/orders/2", "-7"));
            producer.send(new ProducerRecord<>(topic, 0, "no slashes", "12"));
            producer.send(new ProducerRecord<>(topic, 0, null, "13"));
            producer.send(new ProducerRecord<>(topic, 0, "site-a/orders/x", "14"));
            producer.send(new ProducerRecord<>(topic, 0, "site-a/payments/3", "-1"));
            producer.flush();
        }
        MirrorOffsets offsets = new MirrorOffsets(topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            offsets.load(admin, KafkaCluster.of(KafkaCluster.DEFAULT, TestKafka.bootstrap(), Map.of()));
        }
        assertThat(offsets.snapshot()).isEqualTo(Map.of("site-a/orders/0", 41L, "site-a/payments/3", -1L));
    }
}
