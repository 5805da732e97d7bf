package dev.junction.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.launcher.Junction;
import dev.junction.quic.SelfSignedCertificates;
import dev.junction.quicsync.LoopbackLink;
import dev.junction.runtime.Running;
import dev.junction.support.JunctionException;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Junction against a secured cluster, as production clusters are: a broker whose listener is SASL_SSL
 * (SCRAM-SHA-512 over TLS), users made through the admin API, the clients trusting the broker's certificate from a
 * PEM file. Every flow's clients take the settings from the environment as a deployment gives them.
 */
class SaslSslClusterTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"%s\" password=\"%s\";";

    @TempDir
    static Path dir;

    private static EmbeddedKafka broker;
    private static SelfSignedCertificates.Files3 brokerCert;
    private static SelfSignedCertificates.Files3 strangerCert;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        brokerCert = SelfSignedCertificates.generate(dir.resolve("broker-tls"), "EC");
        strangerCert = SelfSignedCertificates.generate(dir.resolve("stranger-tls"), "EC");
        broker = EmbeddedKafka.startWithSaslSsl(dir.resolve("kafka"), dir.resolve("broker-tls").resolve("EC.p12"), "changeit");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ScramCredentialInfo sha512 = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("junction", sha512, "junction-secret"),
                    new UserScramCredentialUpsertion("mirror", sha512, "mirror-secret"))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.closeAndDelete();
        }
    }

    /** The environment of a deployment on the secured listener: every client of the default cluster as junction. */
    private static Map<String, String> securedEnv(String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP", broker.saslSslBootstrapServers());
        env.put("KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS.formatted("junction", password));
        env.put("KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE", "PEM");
        env.put("KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", brokerCert.cert().toString());
        env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(Ports.freePort()));
        env.put("JUNCTION_KAFKA_CONNECT_TIMEOUT_MS", "10000");
        return env;
    }

    private static Running launch(Map<String, String> env, String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Junction(env, sink, sink).start(args);
    }

    private static String routes(String... files) {
        return String.join(",", List.of(files).stream().map(f -> TestJunction.repoRoute(f).toString()).toList());
    }

    @Test
    void heartbeatOutboxRelayAndQuicSyncWorkOnASaslSslCluster() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        String heartbeatTopic = "secured.heartbeat." + run;
        String source = "secured.orders." + run;
        createTopic(source);

        Map<String, String> env = securedEnv("junction-secret");
        outbox.properties().forEach((k, v) -> env.put(JunctionConfig.envName(k), v));
        env.put("HEARTBEAT_TOPIC", heartbeatTopic);
        env.put("HEARTBEAT_GROUP", "secured-heartbeat-" + run);
        LoopbackLink.both(Ports.freePort(), brokerCert, "token-" + run)
                .forEach((k, v) -> env.put(JunctionConfig.envName(k), v));
        env.put("QUIC_SYNC_TOPICS_INCLUDE", "secured[.]orders[.]" + run);
        env.put("QUIC_SYNC_TOPIC_PREFIX", "mirrored.");
        env.put("QUIC_SYNC_GROUP", "secured-quic-sync-" + run);
        env.put("QUIC_SYNC_SOURCE_CLUSTER", "site-a");
        env.put("QUIC_SYNC_DESTINATION_CLUSTER", "site-b");
        env.put("QUIC_SYNC_OFFSETS_TOPIC", "secured.quic-sync.offsets." + run);
        env.put("QUIC_SYNC_RECEIVER_TRANSACTIONAL_ID", "secured-receiver-" + run);
        // The destination's clients log in as another user: the per-cluster setting beats kafka.client.*.
        env.put("QUIC_SYNC_DESTINATION_CLIENT_SASL_JAAS_CONFIG", JAAS.formatted("mirror", "mirror-secret"));

        try (Running running = launch(env, "run", "--routes", routes("heartbeat.camel.yaml", "outbox-relay.camel.yaml",
                "quic-sync-sender.camel.yaml", "quic-sync-receiver.camel.yaml"))) {
            outbox.insertEvents(50, 5, 0);
            writeRecords(source, 200);

            await().atMost(Duration.ofSeconds(60)).until(() -> count(heartbeatTopic) >= 3);
            // 50 rows over 5 aggregates: 30 of type order, 20 of type customer.
            await().atMost(Duration.ofSeconds(60)).until(() -> count(outbox.topic("order")) == 30
                    && count(outbox.topic("customer")) == 20);
            await().atMost(Duration.ofSeconds(90)).until(() -> count("mirrored." + source) == 200);
        }
    }

    /**
     * A login refused while the relay runs (a user not created yet, a rotated password) holds the rows back and never
     * dead-letters them; once the login works, the relay publishes every row. The runtime is started without the
     * launcher, whose start-up check would refuse the wrong login at once.
     */
    @Test
    void theOutboxRelayKeepsItsRowsThroughARefusedLoginAndPublishesThemOnceItWorks() throws Exception {
        String user = "late-" + UUID.randomUUID().toString().substring(0, 8);
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        Map<String, String> properties = new LinkedHashMap<>(outbox.properties());
        securedEnv("unused").forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_CLIENT_")) {
                properties.put("kafka.client." + variable.substring("KAFKA_CLIENT_".length()).toLowerCase().replace('_', '.'), value);
            }
        });
        properties.put("kafka.client.sasl.jaas.config", JAAS.formatted(user, "late-secret"));
        JunctionConfig config = TestJunction.config(broker.saslSslBootstrapServers(), properties);
        try (var runtime = TestJunction.start(config, List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), false)) {
            outbox.insertEvents(20, 4, 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("attempts > 0") > 0);
            assertThat(outbox.count("published_at IS NOT NULL")).isZero();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "late-secret"))).all().get();
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> outbox.count("published_at IS NOT NULL") == 20);
            assertThat(outbox.count("failed_at IS NOT NULL")).as("rows dead-lettered for a refused login").isZero();
            assertThat(count(outbox.topic("order")) + count(outbox.topic("customer"))).isEqualTo(20);
        }
    }

    @Test
    void aWrongPasswordIsOneLineNamingTheClusterAndTheSetting() {
        assertThatThrownBy(() -> launch(securedEnv("not-the-password"), "run", "--routes", routes("heartbeat.camel.yaml")))
                .isInstanceOf(JunctionException.class)
                .satisfies(e -> assertOneLine(e.getMessage()))
                .hasMessageContaining("Kafka cluster 'kafka' at " + broker.saslSslBootstrapServers())
                .hasMessageContaining("refused the login")
                .hasMessageContaining("kafka.client.sasl.jaas.config (KAFKA_CLIENT_SASL_JAAS_CONFIG)");
    }

    @Test
    void aWrongPasswordOfOneClusterNamesThatClustersSetting() {
        Map<String, String> env = securedEnv("junction-secret");
        LoopbackLink.receiver(Ports.freePort(), brokerCert, "t").forEach((k, v) -> env.put(JunctionConfig.envName(k), v));
        env.put("QUIC_SYNC_DESTINATION_CLIENT_SASL_JAAS_CONFIG", JAAS.formatted("mirror", "wrong"));
        assertThatThrownBy(() -> launch(env, "run", "--routes", routes("quic-sync-receiver.camel.yaml")))
                .isInstanceOf(JunctionException.class)
                .satisfies(e -> assertOneLine(e.getMessage()))
                .hasMessageContaining("Kafka cluster 'quic-sync.destination'")
                .hasMessageContaining("quic-sync.destination.client.sasl.jaas.config (QUIC_SYNC_DESTINATION_CLIENT_SASL_JAAS_CONFIG)");
    }

    @Test
    void anUntrustedBrokerCertificateIsOneLineNamingTheTrustSetting() {
        Map<String, String> env = securedEnv("junction-secret");
        env.put("KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", strangerCert.cert().toString());
        assertThatThrownBy(() -> launch(env, "run", "--routes", routes("heartbeat.camel.yaml")))
                .isInstanceOf(JunctionException.class)
                .satisfies(e -> assertOneLine(e.getMessage()))
                .hasMessageContaining("TLS handshake with Kafka cluster 'kafka' at " + broker.saslSslBootstrapServers())
                .hasMessageContaining("kafka.client.ssl.truststore.location (KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION)");
    }

    /** Records in {@code topic}, read through the broker's PLAINTEXT listener: what the secured clients wrote. */
    private static int count(String topic) {
        return TestKafka.readAll(broker.bootstrapServers(), topic).size();
    }

    private static void assertOneLine(String message) {
        assertThat(message.lines()).hasSize(1);
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
    }

    private static void writeRecords(String topic, int count) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % 10), "v" + i));
            }
            producer.flush();
        }
    }

}
