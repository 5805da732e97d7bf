package dev.junction.quicsync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a destination topic (committed records only) in the background from its start, for the whole test. */
final class DestinationReader implements AutoCloseable {

    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    DestinationReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, TestKafka.uniqueName("destination-reader"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000"); // see the topic soon after the receiver creates it
        thread = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    var polled = consumer.poll(Duration.ofMillis(200));
                    synchronized (records) {
                        polled.forEach(records::add);
                    }
                }
            }
        }, "destination-reader");
        thread.setDaemon(true);
        thread.start();
    }

    int count() {
        synchronized (records) {
            return records.size();
        }
    }

    List<ConsumerRecord<String, String>> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
