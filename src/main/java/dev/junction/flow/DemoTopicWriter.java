package dev.junction.flow;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A demo's sample application: writes records to Kafka at a steady rate (a tenth of them every 100 ms) on a daemon
 * thread of its own, until closed. {@code record} makes record number n.
 */
public final class DemoTopicWriter implements AutoCloseable {

    private final ScheduledExecutorService writer;
    private final KafkaProducer<String, String> producer;

    private DemoTopicWriter(String name, KafkaCluster cluster) {
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-" + name + "-writer");
            t.setDaemon(true);
            return t;
        });
        this.producer = new KafkaProducer<>(cluster.clientProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, "5")),
                new StringSerializer(), new StringSerializer());
    }

    public static DemoTopicWriter start(String name, KafkaCluster cluster, int perSecond,
                                        LongFunction<ProducerRecord<String, String>> record) {
        DemoTopicWriter w = new DemoTopicWriter(name, cluster);
        int perTick = Math.max(1, perSecond / 10);
        long[] seq = {0};
        w.writer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                w.producer.send(record.apply(seq[0]++));
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        return w;
    }

    @Override
    public void close() {
        writer.shutdownNow();
        producer.close();
    }
}
