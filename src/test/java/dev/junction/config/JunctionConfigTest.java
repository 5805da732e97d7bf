package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.junction.support.KafkaCluster;
import org.junit.jupiter.api.Test;

/** Kafka client settings reach the configuration from the environment, as a deployment gives them. */
class JunctionConfigTest {

    @Test
    void clientSettingsComeFromTheEnvironmentForEveryClusterWithABootstrapKey() {
        JunctionConfig config = JunctionConfig.load(Map.of(
                "KAFKA_BOOTSTRAP", "k:9093",
                "KAFKA_CLIENT_SASL_LOGIN_CALLBACK_HANDLER_CLASS", "com.example.Handler",
                "QUIC_SYNC_SOURCE_CLIENT_SECURITY_PROTOCOL", "SSL",
                "UNRELATED_CLIENT_X", "ignored"), Map.of());
        assertThat(config.find("kafka.client.sasl.login.callback.handler.class")).contains("com.example.Handler");
        assertThat(config.find("quic-sync.source.client.security.protocol")).contains("SSL");
        assertThat(config.find("unrelated.client.x")).isEmpty();

        // quic-sync.source.bootstrap is {{kafka.bootstrap}}: the cluster follows the placeholder.
        KafkaCluster source = config.kafkaCluster("quic-sync.source");
        assertThat(source.bootstrap()).isEqualTo("k:9093");
        assertThat(source.clientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.login.callback.handler.class", "com.example.Handler");
        assertThat(config.kafkaCluster(KafkaCluster.DEFAULT).settings()).doesNotContainKey("security.protocol");
    }
}
