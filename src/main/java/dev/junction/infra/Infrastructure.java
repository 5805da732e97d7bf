package dev.junction.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers Junction's flows talk to. When the configuration names an external one ({@code KAFKA_BOOTSTRAP},
 * a JDBC URL) that is used; otherwise a real embedded server is started on first use, and stopped by
 * {@link #close()} in reverse order of start.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    private final JunctionConfig config;
    private final Path dataDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private String kafkaBootstrap;
    private EmbeddedPostgres postgres;
    private EmbeddedMariaDb mariaDb;
    private EmbeddedKafka secondKafka;
    /** The servers there for the flows, in the order they came up (for what the demo says it started). */
    private final Set<Server> ready = new LinkedHashSet<>();

    public Infrastructure(JunctionConfig config) {
        this.config = config;
        this.dataDir = Path.of(config.get("junction.data.dir")).toAbsolutePath();
    }

    /** Bootstrap servers of the Kafka cluster: the configured one (checked reachable) or the embedded broker. */
    public synchronized String kafkaBootstrap() {
        if (kafkaBootstrap != null) {
            return kafkaBootstrap;
        }
        Optional<String> external = config.find("kafka.bootstrap");
        if (external.isPresent()) {
            checkReachable(config.kafkaCluster(KafkaCluster.DEFAULT), "KAFKA_BOOTSTRAP");
            kafkaBootstrap = external.get();
        } else {
            int port = config.getInt("junction.kafka.port");
            if (Ports.isBusy("localhost", port)) {
                throw new JunctionException("port " + port + " is busy, so the embedded Kafka broker cannot start; "
                        + "stop what holds it, set JUNCTION_KAFKA_PORT to a free port, or set KAFKA_BOOTSTRAP to use a running cluster");
            }
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), port);
            started.push(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
        }
        ready.add(Server.KAFKA);
        return kafkaBootstrap;
    }

    /**
     * Checks that {@code cluster} answers with its client settings. A refused login or an untrusted certificate is
     * one error line naming the cluster and the setting; a cluster that does not answer names {@code bootstrapVariable}.
     */
    public void checkReachable(KafkaCluster cluster, String bootstrapVariable) {
        Duration timeout = Duration.ofMillis(config.getInt("junction.kafka.connect-timeout-ms"));
        try {
            KafkaProbe.brokers(cluster, timeout);
        } catch (Exception e) {
            // A security protocol the listener does not speak usually ends in a timeout too: name it where one is set.
            String protocol = cluster.settings().containsKey("security.protocol")
                    ? ", or check " + cluster.settingHint("security.protocol") : "";
            throw cluster.userError(e).orElseGet(() -> new JunctionException("cannot reach " + cluster.describe() + " ("
                    + bootstrapVariable + ") within " + timeout.toSeconds() + " s; start that cluster or correct "
                    + bootstrapVariable + protocol + (KafkaCluster.DEFAULT.equals(cluster.name())
                    ? ", or unset it to use the embedded broker" : "")));
        }
    }

    /**
     * Makes sure {@code server} is there: Kafka is the configured cluster, else the embedded broker; the others are
     * embedded servers (a flow that has a configured database does not ask for one).
     */
    public void start(Server server) {
        switch (server) {
            case KAFKA -> kafkaBootstrap();
            case POSTGRESQL -> postgres();
            case MARIADB -> mariaDb();
            case SECOND_KAFKA_CLUSTER -> secondKafka();
        }
    }

    /** A second embedded Kafka cluster (the remote site of the demo's quic-sync), started on first call. */
    public synchronized EmbeddedKafka secondKafka() {
        if (secondKafka == null) {
            secondKafka = EmbeddedKafka.start(dataDir.resolve("kafka-remote-site"), 0);
            started.push(secondKafka);
            ready.add(Server.SECOND_KAFKA_CLUSTER);
        }
        return secondKafka;
    }

    /** The embedded PostgreSQL server, started on first call. */
    public synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), config.getInt("junction.postgres.port"));
            started.push(postgres);
            ready.add(Server.POSTGRESQL);
        }
        return postgres;
    }

    /** The embedded MariaDB server, started on first call. */
    public synchronized EmbeddedMariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = EmbeddedMariaDb.start(dataDir.resolve("mariadb"), config.getInt("junction.mariadb.port"));
            started.push(mariaDb);
            ready.add(Server.MARIADB);
        }
        return mariaDb;
    }

    /** The servers there so far: Kafka (configured or embedded) and the embedded servers started for the flows. */
    public synchronized List<Server> servers() {
        return List.copyOf(ready);
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable server = started.pop();
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", server.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
