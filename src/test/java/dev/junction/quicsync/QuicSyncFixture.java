package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.quic.SelfSignedCertificates;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/** Two real clusters (the shared broker is the source, a private one the destination) and the quic-sync settings. */
final class QuicSyncFixture {

    /**
     * Timestamps of test records: EPOCH + sequence number. Recent on purpose: the brokers delete records older than
     * their retention (7 days) every 5 minutes, and would take test records from years ago out of a running test.
     */
    static final long EPOCH = System.currentTimeMillis() / 1000 * 1000;


    static final String TOKEN = "sync-token-123";
    final EmbeddedKafka destination;
    final SelfSignedCertificates.Files3 certs;
    final int port = Ports.freePort();
    final String prefix = TestKafka.uniqueName("qs");

    QuicSyncFixture(Path dir) throws Exception {
        // As a mirror destination should be: topics are made by the receiver (with the source's partition count).
        destination = EmbeddedKafka.start(dir.resolve("destination-kafka"), 0, Map.of("auto.create.topics.enable", "false"));
        certs = SelfSignedCertificates.generate(dir.resolve("certs"), "EC");
    }

    String topic(String name) {
        return prefix + "." + name;
    }

    /** Properties for both routes in one Junction (sender → localhost:port → receiver). */
    Map<String, String> properties(boolean sender, boolean receiver) {
        Map<String, String> p = LoopbackLink.both(port, certs, TOKEN);
        p.put("quic-sync.sender.enabled", String.valueOf(sender));
        p.put("quic-sync.receiver.enabled", String.valueOf(receiver));
        p.put("quic-sync.source.bootstrap", TestKafka.bootstrap());
        p.put("quic-sync.destination.bootstrap", destination.bootstrapServers());
        p.put("quic-sync.source-cluster", "site-a");
        p.put("quic-sync.destination-cluster", "site-b");
        p.put("quic-sync.topics.include", java.util.regex.Pattern.quote(prefix) + "\\..*");
        p.put("quic-sync.group", prefix + "-sender");
        p.put("quic-sync.receiver.transactional-id", prefix + "-receiver");
        p.put("quic-sync.request-timeout-ms", "10000");
        return p;
    }

    /** A sender in a JVM of its own (so a test can kill it), reading the shared broker, with extra settings. */
    ForkedJunction forkedSender(Path log, Map<String, String> settings) throws Exception {
        Map<String, String> props = properties(true, false);
        props.putAll(settings);
        props.put("kafka.bootstrap", TestKafka.bootstrap());
        props.put("camel.management.port", String.valueOf(Ports.freePort()));
        return ForkedJunction.start(log, props, "run", "--routes", TestJunction.repoRoute("quic-sync-sender.camel.yaml").toString());
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        createTopic(bootstrap, topic, partitions, Map.of());
    }

    static void createTopic(String bootstrap, String topic, int partitions, Map<String, String> settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(settings))).all().get();
        }
    }

    /**
     * The application's producer on the source cluster: one for the test JVM, not idempotent, one request in flight
     * (so records stay in order). Idempotent producers were seen, under a loaded test machine, to be refused every
     * send with OutOfOrderSequenceException ("0 (incoming seq. number), 709 (current end sequence number)") until
     * their records expired, which stalled a test; the broker's sequence state did not match what was in the log.
     */
    private static KafkaProducer<String, String> application;

    private static synchronized KafkaProducer<String, String> application() {
        if (application == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            application = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return application;
    }

    /**
     * Writes {@code count} records to {@code topic} and waits until they are written: key k-(i%50), value
     * {"seq":i,...}, two headers, timestamp EPOCH + i, partition i % partitions.
     */
    static void produce(String topic, int partitions, int from, int count) {
        KafkaProducer<String, String> producer = application();
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
            headers.add("kind", (i % 10 == 0 ? "audit" : "normal").getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, EPOCH + i, "k-" + (i % 50),
                    "{\"seq\":" + i + ",\"kind\":\"" + (i % 10 == 0 ? "audit" : "normal") + "\"}", headers)));
        }
        producer.flush();
        for (var f : sent) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("the test application could not write to " + topic, e);
            }
        }
    }

    /**
     * An application writing {@code total} records (see {@link #produce}) in chunks of {@code chunk} every 100 ms, in
     * a thread of its own: not started yet; interrupting it stops it.
     */
    static Thread application(String topic, int partitions, int total, int chunk) {
        return new Thread(() -> {
            for (int from = 0; from < total; from += chunk) {
                produce(topic, partitions, from, chunk);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "application");
    }

    List<ConsumerRecord<String, String>> readDestination(String topic, int atLeast, Duration timeout) {
        return TestKafka.consumeUntil(destination.bootstrapServers(), topic, r -> r.size() >= atLeast, timeout);
    }

    /** Every committed record in the destination topic now (see {@link TestKafka#readAll}). */
    List<ConsumerRecord<String, String>> readAllOfDestination(String topic) {
        return TestKafka.readAll(destination.bootstrapServers(), topic);
    }

    /**
     * Every committed record in the destination topic once there are at least {@code count}: a receiver's answer
     * comes when its transaction commits, a moment before read_committed readers see the records.
     */
    List<ConsumerRecord<String, String>> awaitDestination(String topic, int count) {
        return awaitDestination(topic, count, Duration.ofSeconds(30));
    }

    /** As {@link #awaitDestination(String, int)}; each look reads the whole topic, new partitions too. */
    List<ConsumerRecord<String, String>> awaitDestination(String topic, int count, Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> readAllOfDestination(topic).size() >= count);
        return readAllOfDestination(topic);
    }

    static int seq(ConsumerRecord<String, String> r) {
        String v = r.value();
        return Integer.parseInt(v.substring(v.indexOf(':') + 1, v.indexOf(',')));
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    void close() {
        destination.closeAndDelete();
    }
}
