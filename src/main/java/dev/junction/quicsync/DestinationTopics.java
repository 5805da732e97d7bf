package dev.junction.quicsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import dev.junction.support.Backoff;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's destination topics kept like their source topics, as MirrorMaker 2 keeps them: a missing topic is
 * created with the source's partition count and settings, a topic with fewer partitions than the source gets the
 * missing ones, and settings changed at the source are set on it. Each batch carries what the sender read of its
 * source topic; the admin client is used only when that differs from what is known here.
 */
final class DestinationTopics {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationTopics.class);

    /** How long a just-created topic may stay unknown to the broker that answers: 50 ms doubling, 8 attempts (about 5 s). */
    private static final Backoff NEW_TOPIC_BACKOFF = new Backoff(50, 2000, "DestinationTopics.NEW_TOPIC_BACKOFF");
    private static final int NEW_TOPIC_ATTEMPTS = 8;

    private final Admin admin;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> settings = new ConcurrentHashMap<>();

    DestinationTopics(Admin admin) {
        this.admin = admin;
    }

    /**
     * Makes the destination topic follow its source topic; returns its partition count. Settings the destination
     * cluster refuses for a new topic fail the batch (nothing can be written); for an existing topic they are logged
     * and the records still written.
     */
    int follow(String topic, int sourcePartitions, Map<String, String> sourceSettings) throws Exception {
        Integer known = partitionCounts.get(topic);
        if (known == null || known < sourcePartitions) {
            known = ensurePartitions(topic, known == null, sourcePartitions, sourceSettings);
        }
        if (!sourceSettings.isEmpty() && !sourceSettings.equals(settings.get(topic))) {
            alterSettings(topic, settings.get(topic), sourceSettings);
        }
        return known;
    }

    private int ensurePartitions(String topic, boolean firstSeen, int sourcePartitions, Map<String, String> sourceSettings)
            throws Exception {
        if (firstSeen && create(topic, sourcePartitions, sourceSettings)) {
            settings.put(topic, sourceSettings);
        }
        int count = partitionCount(topic);
        if (count < sourcePartitions) {
            addPartitions(topic, sourcePartitions);
            count = partitionCount(topic);
        }
        partitionCounts.put(topic, count);
        return count;
    }

    /** Returns false when the topic was there already. */
    private boolean create(String topic, int partitions, Map<String, String> sourceSettings) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) -1).configs(sourceSettings))).all().get();
            LOG.info("quic-sync created destination topic {} with {} partitions and the source's settings {}", topic, partitions,
                    sourceSettings);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidConfigurationException || e.getCause() instanceof PolicyViolationException) {
                throw new BadBatchException("the destination cluster refuses to create " + topic + " with the source topic's settings "
                        + sourceSettings + ": " + e.getCause().getMessage(), false);
            }
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The topic's partition count. Just after it was created, the broker that answers may not know the topic yet
     * (KRaft metadata reaches brokers a moment later): that answer is asked again, for at most a few seconds.
     */
    private int partitionCount(String topic) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= NEW_TOPIC_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(NEW_TOPIC_BACKOFF.delayMs(attempt));
            }
        }
    }

    /** Grows the destination topic to the source's partition count; one with more partitions already is kept. */
    private void addPartitions(String topic, int partitions) throws Exception {
        try {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
            LOG.info("quic-sync grew destination topic {} to {} partitions, as many as the source topic has", topic, partitions);
        } catch (ExecutionException e) {
            // Already as many (another receiver, or the operator, added them): the count is read next.
            if (!(e.getCause() instanceof InvalidPartitionsException)) {
                throw e;
            }
        }
    }

    /**
     * Sets the source's settings on the destination topic; a setting the source had before and no longer has goes
     * back to the destination's default. Settings that were never seen here (a topic found at start) are only set.
     */
    private void alterSettings(String topic, Map<String, String> before, Map<String, String> now) throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        now.forEach((name, value) -> {
            if (before == null || !value.equals(before.get(name))) {
                ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
            }
        });
        if (before != null) {
            before.keySet().stream().filter(name -> !now.containsKey(name))
                    .forEach(name -> ops.add(new AlterConfigOp(new ConfigEntry(name, null), AlterConfigOp.OpType.DELETE)));
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
            if (before != null) {
                LOG.info("quic-sync set the source's changed settings on destination topic {}: {}", topic, now);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof InvalidConfigurationException || e.getCause() instanceof PolicyViolationException)) {
                throw e;
            }
            LOG.warn("quic-sync: the destination cluster refuses the source's settings {} for {} ({}); its records are "
                    + "mirrored with the settings it has", now, topic, e.getCause().getMessage());
        }
        settings.put(topic, now); // refused or set, it is not tried again until the source's settings change
    }
}
