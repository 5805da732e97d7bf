package dev.junction.quicsync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender tells the receiver about a source topic, read through the source cluster's admin client once and
 * kept: its partition count and its own settings (for the receiver to create or grow the destination topic alike).
 */
final class SourceTopics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceTopics.class);

    private final Admin admin;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final Map<String, String> settings = new ConcurrentHashMap<>();

    SourceTopics(String bootstrap) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** The topic's partition count, read again when a record comes from a partition added since it was read. */
    int partitionCount(TopicPartition tp) throws Exception {
        String topic = tp.topic();
        Integer n = partitionCounts.get(topic);
        if (n == null || tp.partition() >= n) {
            n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            partitionCounts.put(topic, n);
        }
        return n;
    }

    /**
     * The topic's own settings, encoded for the header (read once per topic). When they cannot be read (no
     * DescribeConfigs permission, say), "": the destination topic gets the destination's defaults.
     */
    String settings(String topic) {
        String encoded = settings.get(topic);
        if (encoded == null) {
            try {
                encoded = TopicSettings.encode(TopicSettings.of(admin, topic));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("quic-sync cannot read the settings of {} ({}); a destination topic created for it gets the "
                        + "destination cluster's defaults", topic, e.getMessage());
                encoded = "";
            }
            settings.put(topic, encoded);
        }
        return encoded;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
