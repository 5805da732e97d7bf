package dev.junction.fanout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one leader among the daemons of an id through Kafka's group coordinator: every daemon joins the consumer
 * group of the single-partition topic {@code fanout_ID_TOPIC}, and the member that is assigned its partition leads.
 * The leader writes a heartbeat there (its client address) every {@code leaderHeartbeatMs}; the followers read the
 * latest one to redirect clients. A dead leader's membership ends after the session timeout, and the group hands
 * the partition to a follower.
 */
final class LeaderElection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final FanoutConfiguration config;
    private final KafkaCluster cluster;
    private final FanoutService service;
    private final TopicPartition partition;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> member;
    private boolean leading;
    private long lastHeartbeatSent;
    private long lastLeaderSeenAt;

    LeaderElection(FanoutConfiguration config, KafkaCluster cluster, FanoutService service) {
        this.config = config;
        this.cluster = cluster;
        this.service = service;
        this.partition = new TopicPartition(config.electionTopic(), 0);
    }

    @Override
    public void run() {
        try {
            createTopic();
            try (KafkaConsumer<byte[], byte[]> group = new KafkaConsumer<>(memberProperties());
                 KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(readerProperties());
                 KafkaProducer<String, String> heartbeats = new KafkaProducer<>(producerProperties())) {
                member = group;
                group.subscribe(List.of(partition.topic()), new Listener());
                reader.assign(List.of(partition));
                reader.seekToEnd(List.of(partition));
                long end = reader.position(partition);
                reader.seek(partition, Math.max(0, end - 1));
                while (running) {
                    group.poll(Duration.ofMillis(200));
                    if (leading) {
                        sendHeartbeat(heartbeats);
                    }
                    readHeartbeats(reader);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (Exception e) {
            if (running) {
                LOG.error("fanout {}: the leader election stopped: {}", config.getId(), e.toString(), e);
            }
        } finally {
            service.leading(false);
        }
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> m = member;
        if (m != null) {
            m.wakeup();
        }
    }

    private void sendHeartbeat(KafkaProducer<String, String> heartbeats) {
        long now = System.currentTimeMillis();
        if (now - lastHeartbeatSent >= config.getLeaderHeartbeatMs()) {
            lastHeartbeatSent = now;
            heartbeats.send(new ProducerRecord<>(partition.topic(), 0, config.getId(), service.address()));
        }
    }

    private void readHeartbeats(KafkaConsumer<byte[], byte[]> reader) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ZERO)) {
            if (record.value() != null) {
                service.leaderAddress(new String(record.value(), StandardCharsets.UTF_8));
                lastLeaderSeenAt = System.currentTimeMillis();
            }
        }
        // A leader silent for three heartbeats may be dead: clients are told "not known" rather than sent to it.
        if (lastLeaderSeenAt > 0 && System.currentTimeMillis() - lastLeaderSeenAt > 3 * config.getLeaderHeartbeatMs()) {
            service.leaderAddress("");
            lastLeaderSeenAt = 0;
        }
    }

    private void createTopic() throws InterruptedException {
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            NewTopic topic = new NewTopic(partition.topic(), Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "3600000"));
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.info("fanout {}: created the election topic {}", config.getId(), partition.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the election topic " + partition.topic() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + cluster.bootstrap() + " did not answer within 30 s", e);
        }
    }

    private Map<String, Object> memberProperties() {
        Map<String, Object> p = FanoutKafka.groupMember(cluster, "fanout-election-" + config.getId(), partition.topic(), config);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Cooperative: a follower joining the group does not take the partition from the leader and give it back.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    private Map<String, Object> readerProperties() {
        return FanoutKafka.consumer(cluster, "fanout-leader-reader-" + config.getId());
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = cluster.clientProperties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fanout-heartbeat-" + config.getId());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return p;
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.contains(partition)) {
                leading = true;
                lastHeartbeatSent = 0;
                service.leaderAddress(service.address());
                service.leading(true);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(partition)) {
                leading = false;
                service.leading(false);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
