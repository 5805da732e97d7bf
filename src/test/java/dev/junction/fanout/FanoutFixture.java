package dev.junction.fanout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One fanout daemon on the test broker, running the shipped routes/fanout.camel.yaml on its own topic and port, and
 * the clients a test connects to it. What every client received is kept, to count.
 */
final class FanoutFixture implements AutoCloseable {

    /** One record as a client got it. */
    record Got(String client, long offset, int partition, int attempt, String key, String value) {
    }

    final String topic = TestKafka.uniqueName("fanout");
    final String id = TestKafka.uniqueName("svc").replace('-', '_');
    final int port = Ports.freePort();
    final List<Got> acked = new CopyOnWriteArrayList<>();
    final List<Got> received = new CopyOnWriteArrayList<>();
    private final List<FanoutClient> clients = new ArrayList<>();
    final JunctionRuntime runtime;

    FanoutFixture(int partitions, Map<String, String> overrides) {
        TestKafka.createTopic(topic, partitions);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fanout.enabled", "true");
        settings.put("fanout.id", id);
        settings.put("fanout.topic", topic);
        settings.put("fanout.dead-letter-topic", topic + ".dlq");
        settings.put("camel.component.fanout.port", String.valueOf(port));
        settings.put("fanout.advertised-address", "localhost:" + port);
        settings.put("camel.component.fanout.ackTimeoutMs", "2000");
        settings.putAll(overrides);
        runtime = TestJunction.start(List.of(TestJunction.repoRoute("fanout.camel.yaml")), settings);
    }

    FanoutService service() {
        return runtime.camelContext().getComponent("fanout", FanoutComponent.class).service(id);
    }

    /** A client that acks everything at once. */
    FanoutClient ackingClient(String name, String group) {
        return ackingClient(name, group, 100);
    }

    FanoutClient ackingClient(String name, String group, int maxInFlight) {
        return client(name, group, maxInFlight, record -> {
            received.add(got(name, record));
            acked.add(got(name, record));
            record.ack();
        });
    }

    FanoutClient client(String name, String group, int maxInFlight, FanoutClient.Handler handler) {
        FanoutClient client = FanoutClient.builder().servers("localhost:" + port).name(name).group(group)
                .maxInFlight(maxInFlight).handler(handler).start();
        clients.add(client);
        return client;
    }

    static Got got(String client, FanoutClient.Received r) {
        return new Got(client, r.offset(), r.partition(), r.attempt(), text(r.key()), text(r.value()));
    }

    void produce(int count) {
        produce(count, n -> "key-" + (n % 20));
    }

    void produce(int count, java.util.function.LongFunction<String> key) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (long n = 0; n < count; n++) {
                producer.send(new ProducerRecord<>(topic, key.apply(n), "record-" + n));
            }
        }
    }

    /** Values acknowledged, each counted once: what the daemon delivered. */
    Map<String, Integer> ackedValues() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        acked.forEach(g -> counts.merge(g.value(), 1, Integer::sum));
        return counts;
    }

    long ackedBy(String client) {
        return acked.stream().filter(g -> g.client().equals(client)).count();
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        clients.forEach(FanoutClient::close);
        runtime.close();
    }
}
