package dev.junction.outbox;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a batch's topics can take records, asked of the cluster before anything is sent. A producer's send to a
 * topic that does not exist (on a cluster with {@code auto.create.topics.enable=false}) or that the relay may not
 * write blocks for {@code max.block.ms} and then fails as retriable: one such row would stall every aggregate behind
 * it, batch after batch. Told here instead, the relay holds back only the aggregates of that topic.
 * <p>
 * Topics found to exist are remembered; the others are asked again on each attempt. When the cluster does not answer,
 * there is no verdict and the rows are sent as usual (the producer then waits for the cluster, as it must).
 */
final class OutboxTopics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxTopics.class);
    private static final long ANSWER_TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    /** The brokers' auto.create.topics.enable, once known: a missing topic is then created by the first send. */
    private Boolean brokersCreateTopics;

    OutboxTopics(KafkaCluster cluster) {
        Map<String, Object> p = new HashMap<>(cluster.clientProperties());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "junction-outbox-topics");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT_MS);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT_MS);
        this.admin = Admin.create(p);
    }

    /** A topic's records went through: it exists. */
    void confirmed(String topic) {
        existing.add(topic);
    }

    /** Topics among {@code topics} that cannot take records now, each with the reason and what to do about it. */
    Map<String, String> refused(Collection<String> topics) throws InterruptedException {
        List<String> unknown = topics.stream().distinct().filter(t -> !existing.contains(t) && isValidName(t)).toList();
        Map<String, String> refused = new HashMap<>();
        if (unknown.isEmpty()) {
            return refused;
        }
        Map<String, KafkaFuture<TopicDescription>> answers = admin.describeTopics(unknown).topicNameValues();
        for (String topic : unknown) {
            try {
                answers.get(topic).get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                existing.add(topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException && !brokersCreateTopics()) {
                    refused.put(topic, "topic '" + topic + "' does not exist and the brokers do not create topics"
                            + " (auto.create.topics.enable=false): create it, or correct the rows' topic column or"
                            + " outbox.topic-pattern");
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    refused.put(topic, "not authorized to write to topic '" + topic + "': grant the relay's principal"
                            + " WRITE on it, or correct the rows' topic column or outbox.topic-pattern");
                }
                // Anything else (the topic is being created, the cluster is busy): no verdict, send as usual.
            } catch (TimeoutException e) {
                return refused; // the cluster does not answer: the producer will wait for it anyway
            }
        }
        return refused;
    }

    /** Invalid names are not asked about: the record mapper refuses them as poison with the reason. */
    private static boolean isValidName(String topic) {
        try {
            Topic.validate(topic);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    /** Asked until answered; while the brokers' setting cannot be read, a missing topic is left to the producer. */
    private boolean brokersCreateTopics() throws InterruptedException {
        if (brokersCreateTopics == null) {
            try {
                Node node = admin.describeCluster().nodes().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS).iterator().next();
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
                Config config = admin.describeConfigs(List.of(broker)).all()
                        .get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(broker);
                ConfigEntry entry = config.get("auto.create.topics.enable");
                brokersCreateTopics = entry == null || Boolean.parseBoolean(entry.value());
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.warn("Cannot read the brokers' auto.create.topics.enable ({}); rows for a topic that does not exist"
                        + " are sent and wait for it", e.getMessage());
                return true;
            }
        }
        return brokersCreateTopics;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
