package dev.junction.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4.1 broker (KRaft: broker and controller in one process) running inside this JVM.
 * <p>
 * The log directory is formatted on first use and kept, so a restart on the same directory keeps its topics.
 * Share groups (KIP-932) are enabled by finalizing {@code share.version=1} at format time.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    /** The address the broker listens on and advertises: localhost, or a network namespace's own (bench quic-sync-wan). */
    private final String host;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private final Map<String, String> overrides;
    /** Port of a second, SASL_SSL listener (SCRAM-SHA-512 over TLS), or 0 for none. */
    private final int saslSslPort;

    private EmbeddedKafka(Path logDir, String host, int port, int controllerPort, Map<String, String> overrides, int saslSslPort) {
        this.logDir = logDir;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
        this.saslSslPort = saslSslPort;
    }

    /**
     * Formats {@code logDir} if it is new and starts the broker on {@code port} (0 picks a free one).
     * Returns once the broker answers metadata requests.
     */
    public static EmbeddedKafka start(Path logDir, int port) {
        return start(logDir, port, Map.of());
    }

    /** As {@link #start(Path, int)}, with broker settings of the caller's (e.g. auto.create.topics.enable=false). */
    public static EmbeddedKafka start(Path logDir, int port, Map<String, String> brokerOverrides) {
        return start(logDir, "localhost", port, brokerOverrides);
    }

    /** As {@link #start(Path, int, Map)}, listening on and advertising {@code host} instead of localhost. */
    public static EmbeddedKafka start(Path logDir, String host, int port, Map<String, String> brokerOverrides) {
        int brokerPort = port == 0 ? Ports.freePort() : port;
        EmbeddedKafka kafka = new EmbeddedKafka(logDir.toAbsolutePath(), host, brokerPort, Ports.freePort(), brokerOverrides, 0);
        kafka.startServer();
        return kafka;
    }

    /**
     * A broker with a second listener as production clusters have: SASL_SSL with SCRAM-SHA-512, its TLS key and
     * certificate from a PKCS#12 {@code keystore}. The PLAINTEXT listener stays, for creating SCRAM users with the
     * admin API (there is no authorizer) and for the broker's own readiness check.
     */
    public static EmbeddedKafka startWithSaslSsl(Path logDir, Path keystore, String keystorePassword) {
        int saslSslPort = Ports.freePort();
        Map<String, String> tls = Map.of(
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_ssl.ssl.keystore.type", "PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.location", keystore.toAbsolutePath().toString(),
                "listener.name.sasl_ssl.ssl.keystore.password", keystorePassword,
                "listener.name.sasl_ssl.ssl.key.password", keystorePassword);
        EmbeddedKafka kafka = new EmbeddedKafka(logDir.toAbsolutePath(), "localhost", Ports.freePort(), Ports.freePort(), tls, saslSslPort);
        kafka.startServer();
        return kafka;
    }

    /** Bootstrap servers of the SASL_SSL listener ({@link #startWithSaslSsl}). */
    public String saslSslBootstrapServers() {
        if (saslSslPort == 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return host + ":" + saslSslPort;
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    public boolean isRunning() {
        return server != null;
    }

    private void startServer() {
        Properties props = brokerProperties();
        try {
            formatIfNew();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer raftServer = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        raftServer.startup();
        server = raftServer;
        awaitReady(Duration.ofSeconds(60));
        LOG.info("Embedded Kafka broker ready at {} (data in {})", bootstrapServers(), logDir);
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        String secured = saslSslPort == 0 ? "" : ",SASL_SSL://" + host + ":" + saslSslPort;
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + secured + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port + secured);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        p.put("log.dirs", logDir.toString());
        // A single node: every internal topic has one replica. Fewer partitions than the defaults keep start-up fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // After a crash (kill -9) the restarted controller keeps the dead broker's registration until its lease runs
        // out, and the new broker cannot register before that: 9 s by default, per broker, at every start after a
        // crash. Broker and controller share this JVM, so a short lease is safe.
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.putAll(overrides);
        return p;
    }

    private void formatIfNew() throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(Set.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setFeatureLevel(ShareVersion.FEATURE_NAME, ShareVersion.SV_1.featureLevel())
                .run();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready within " + timeout, notYet);
                    }
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Stops the broker and waits for its threads to end. The log directory stays. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers());
    }

    /** Stops the broker and deletes its log directory (for temporary brokers in tests and benchmarks). */
    public void closeAndDelete() {
        close();
        try {
            Files.walk(logDir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", logDir, e.getMessage());
        }
    }
}
