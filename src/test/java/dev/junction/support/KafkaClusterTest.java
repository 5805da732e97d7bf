package dev.junction.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which settings a cluster's clients take, and the one line a user sees for a refused login or certificate. */
class KafkaClusterTest {

    private static final Map<String, String> PROPERTIES = Map.of(
            "kafka.client.security.protocol", "SASL_SSL",
            "kafka.client.sasl.jaas.config", "common",
            "kafka.client.ssl.truststore.location", "   ",
            "quic-sync.source.client.sasl.jaas.config", "source-only",
            "quic-sync.source.client.bootstrap.servers", "elsewhere:1",
            "quic-sync.destination.bootstrap", "not-a-client-setting");

    @Test
    void aClusterTakesTheCommonSettingsAndItsOwnOnTop() {
        KafkaCluster source = KafkaCluster.of("quic-sync.source", "src:9093", PROPERTIES);
        assertThat(source.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "src:9093",
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "source-only"));
        assertThat(source.settingKey("sasl.jaas.config")).isEqualTo("quic-sync.source.client.sasl.jaas.config");
        assertThat(source.settingKey("security.protocol")).isEqualTo("kafka.client.security.protocol");
    }

    @Test
    void otherClustersSettingsDoNotLeakIn() {
        KafkaCluster kafka = KafkaCluster.of(KafkaCluster.DEFAULT, "k:9092", PROPERTIES);
        assertThat(kafka.settings()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.jaas.config", "common"));
        KafkaCluster destination = KafkaCluster.of("quic-sync.destination", "d:9092", PROPERTIES);
        assertThat(destination.settings()).doesNotContainKey("bootstrap").containsEntry("sasl.jaas.config", "common");
    }

    @Test
    void aRefusedLoginNamesTheClusterAndTheSettingInUse() {
        KafkaCluster source = KafkaCluster.of("quic-sync.source", "src:9093", PROPERTIES);
        JunctionException error = source.userError(new RuntimeException(
                new SaslAuthenticationException("Authentication failed: invalid credentials"))).orElseThrow();
        assertThat(error.getMessage())
                .startsWith("Kafka cluster 'quic-sync.source' at src:9093 refused the login (Authentication failed")
                .contains("quic-sync.source.client.sasl.jaas.config (QUIC_SYNC_SOURCE_CLIENT_SASL_JAAS_CONFIG)")
                .doesNotContain("\n");
    }

    @Test
    void anUntrustedCertificateNamesTheTrustSettings() {
        KafkaCluster kafka = KafkaCluster.of(KafkaCluster.DEFAULT, "k:9093", PROPERTIES);
        JunctionException error = kafka.userError(new SslAuthenticationException("SSL handshake failed",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))).orElseThrow();
        assertThat(error.getMessage()).contains("TLS handshake with Kafka cluster 'kafka' at k:9093 failed (PKIX path building failed)")
                .contains("kafka.client.ssl.truststore.location (KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION)");
    }

    @Test
    void aClusterThatDoesNotAnswerIsNotTheUsersSetting() {
        KafkaCluster kafka = KafkaCluster.of(KafkaCluster.DEFAULT, "k:9093", PROPERTIES);
        assertThat(kafka.userError(new TimeoutException("timed out"))).isEmpty();
    }
}
