package dev.junction.support;

import java.util.List;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topics Junction itself creates (the demo's sample topics). */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Creates {@code topic} with {@code partitions} (replication 1) unless it exists already. */
    public static void createIfMissing(KafkaCluster cluster, String topic, int partitions) {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new JunctionException("cannot create topic " + topic + " at " + cluster.bootstrap() + ": "
                        + e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
