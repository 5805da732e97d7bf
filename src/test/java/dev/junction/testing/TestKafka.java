package dev.junction.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.junction.infra.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The test JVM's one Kafka broker: started on first use, stopped when the JVM exits. Tests get topics and
 * consumer groups of their own from {@link #uniqueName(String)}, so they never see each other's records.
 */
public final class TestKafka {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedKafka broker;

    private TestKafka() {
    }

    public static synchronized String bootstrap() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("junction-test-kafka");
                broker = EmbeddedKafka.start(dir, 0);
                EmbeddedKafka started = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(started::closeAndDelete, "test-kafka-stop"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return broker.bootstrapServers();
    }

    /** A name no other test uses: {@code prefix-N-random}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void createTopic(String topic, int partitions) {
        createTopic(bootstrap(), topic, partitions);
    }

    /** As {@link #createTopic(String, int)}, on the broker at {@code bootstrap} (a test's own). */
    public static void createTopic(String bootstrap, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /**
     * Every committed record in {@code topic} now (none when the topic does not exist), read up to its end offsets,
     * so the answer does not depend on how fast this machine is. Fails if that takes over a minute.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // read_committed: the last stable offset
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " up to " + end + " took over a minute; read " + records.size());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or the timeout passes. */
    public static List<ConsumerRecord<String, String>> consumeUntil(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueName("test-reader"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static List<ConsumerRecord<String, String>> consumeUntil(String topic,
            Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        return consumeUntil(bootstrap(), topic, done, timeout);
    }
}
