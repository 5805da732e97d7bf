package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.infra.Ports;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemons as users run them ({@code java -jar junction.jar fanout --id --topic}), each in its own JVM, killed with
 * SIGKILL mid-stream. Every record must still be acknowledged by a client (duplicates allowed: at least once).
 */
class FanoutFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutFailoverTest.class);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final String topic = TestKafka.uniqueName("fanout-ha");
    private final String id = TestKafka.uniqueName("ha").replace('-', '_');
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    /** Clients hold their acks once this many records arrived, until {@link #resume} opens: a kill is then mid-stream. */
    private volatile int holdAt = Integer.MAX_VALUE;
    private final CountDownLatch resume = new CountDownLatch(1);

    private ForkedJunction daemon(String name, int port) throws Exception {
        return ForkedJunction.start(dir.resolve(name + ".log"), Map.of("kafka.bootstrap", TestKafka.bootstrap(),
                        "camel.management.port", String.valueOf(Ports.freePort())),
                "fanout", "--id", id, "--topic", topic, "--port", String.valueOf(port),
                "--advertised-address", "localhost:" + port);
    }

    private FanoutClient client(String name, String servers) {
        return FanoutClient.builder().servers(servers).name(name).maxInFlight(50).handler(r -> {
            acked.add(new String(r.value(), StandardCharsets.UTF_8));
            if (acked.size() >= holdAt) {
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            r.ack();
        }).start();
    }

    @Test
    void aDaemonKilledWithSigkillAndRestartedResumesFromItsCommittedOffsets() throws Exception {
        TestKafka.createTopic(topic, 3);
        int port = Ports.freePort();
        Records.produce(topic, 0, 5000);
        ForkedJunction first = daemon("first", port);
        holdAt = 1000;
        try (FanoutClient client = client("worker", "localhost:" + port)) {
            // The client holds its acks from the 1,000th record on (at most maxInFlight more reach it): the daemon
            // is killed mid-stream, however fast it delivers.
            await().atMost(WAIT).until(() -> acked.size() >= 1000);
            first.kill();
            int beforeRestart = acked.size();
            resume.countDown();
            assertThat(beforeRestart).isLessThan(5000);
            try (ForkedJunction second = daemon("second", port)) {
                await().atMost(WAIT).until(() -> acked.size() == 5000);
                assertThat(second.log()).contains("is the leader now");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void whenTheLeaderIsKilledTheFollowerTakesOverAndClientsFollowTheRedirect() throws Exception {
        TestKafka.createTopic(topic, 3);
        int portA = Ports.freePort();
        int portB = Ports.freePort();
        try (ForkedJunction a = daemon("a", portA); ForkedJunction b = daemon("b", portB);
             FanoutClient one = client("one", "localhost:" + portA + ",localhost:" + portB);
             FanoutClient two = client("two", "localhost:" + portB + ",localhost:" + portA)) {
            await().atMost(WAIT).until(() -> one.isConnected() && two.isConnected());
            // Both end up at the leader, whichever daemon they tried first.
            assertThat(two.server()).isEqualTo(one.server());
            Records.produce(topic, 0, 2000);
            await().atMost(WAIT).until(() -> acked.size() >= 500);
            boolean aLeads = one.server().equals("localhost:" + portA);
            ForkedJunction leader = aLeads ? a : b;
            String follower = "localhost:" + (aLeads ? portB : portA);
            long killedAt = System.nanoTime();
            leader.kill();
            Records.produce(topic, 2000, 2000);
            await().atMost(WAIT).until(() -> follower.equals(one.server()) && follower.equals(two.server()));
            LOG.info("fanout failover: clients at the new leader {} ms after the SIGKILL",
                    Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
            await().atMost(WAIT).until(() -> acked.size() == 4000);
            assertThat(acked).hasSize(4000);
        }
    }

    @Test
    void theFanoutCommandNamesAnUnknownOption() throws Exception {
        Path log = dir.resolve("bad.log");
        try (ForkedJunction bad = ForkedJunction.start(log, Map.of("kafka.bootstrap", TestKafka.bootstrap()),
                "fanout", "--id", "x", "--topics", "y")) {
            await().atMost(WAIT).until(() -> !bad.isAlive());
            assertThat(Files.readString(log)).contains("junction: error: fanout does not know '--topics'");
        }
    }

    /** Writes values record-N for N in [from, from + count). */
    static final class Records {
        static void produce(String topic, int from, int count) {
            var p = new java.util.Properties();
            p.put("bootstrap.servers", TestKafka.bootstrap());
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                for (int n = from; n < from + count; n++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k" + (n % 30), "record-" + n));
                }
            }
        }
    }
}
