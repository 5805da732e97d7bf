package dev.junction.quicsync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender tells the receiver about a source topic, read through the source cluster's admin client and
 * kept: its partition count and its own settings, for the receiver to keep the destination topic alike. Settings
 * are read again every {@code settingsRefreshMs} (MirrorMaker 2 syncs them every 10 minutes by default).
 */
final class SourceTopics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceTopics.class);

    private final Admin admin;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final Map<String, Settings> settings = new ConcurrentHashMap<>();
    private final long settingsRefreshMs;

    private record Settings(String encoded, long readAt) {
    }

    SourceTopics(KafkaCluster source, long settingsRefreshMs) {
        this.admin = Admin.create(source.clientProperties());
        this.settingsRefreshMs = settingsRefreshMs;
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
     * The topic's own settings, encoded for the header. When they cannot be read (no DescribeConfigs permission, say),
     * "": a destination topic created for it gets the destination's defaults.
     */
    String settings(String topic) {
        long now = System.currentTimeMillis();
        Settings known = settings.get(topic);
        if (known == null || now - known.readAt() >= settingsRefreshMs) {
            known = new Settings(read(topic), now);
            settings.put(topic, known);
        }
        return known.encoded();
    }

    private String read(String topic) {
        try {
            return TopicSettings.encode(TopicSettings.of(admin, topic));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("quic-sync cannot read the settings of {} ({}); a destination topic created for it gets the "
                    + "destination cluster's defaults", topic, e.getMessage());
            return "";
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
