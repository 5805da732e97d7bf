package dev.junction.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's Kafka side, on a thread of its own that owns its {@code KafkaConsumer} (as Kafka's MirrorSourceTask
 * does): reads every partition of the topic in the group {@code fanout_ID}, hands each record on, pauses while no
 * client is connected or the buffer is full, and commits each partition only up to its lowest record still out.
 * A follower reads nothing: it leaves the group until it leads.
 */
final class RecordPoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordPoller.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final FanoutConfiguration config;
    private final KafkaCluster cluster;
    private final FanoutService service;
    private final Sink handOn;
    private final PartitionOffsets offsets = new PartitionOffsets();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lag = -1;
    private volatile String lastError;
    private boolean subscribed;
    private boolean paused;
    private long lastCommit;

    /** Where the records read go: one by one, then a call at the end of each poll. */
    interface Sink {
        void accept(ConsumerRecord<byte[], byte[]> record, PartitionOffsets.Track track);

        void endOfPoll();
    }

    RecordPoller(FanoutConfiguration config, KafkaCluster cluster, FanoutService service, Sink handOn) {
        this.config = config;
        this.cluster = cluster;
        this.service = service;
        this.handOn = handOn;
    }

    /** Records read and not yet done (at clients, waiting for one, or waiting behind their key). */
    int outstanding() {
        return offsets.outstanding();
    }

    /** Records of the topic the group has not read yet; -1 while not known (a follower, or before the first poll). */
    long lag() {
        return lag;
    }

    /** The last Kafka error of the poll loop, or null when its last poll worked. */
    String lastError() {
        return lastError;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties())) {
            consumer = kafka;
            while (running) {
                try {
                    step(kafka);
                    lastError = null;
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    lastError = e.toString();
                    LOG.warn("fanout {}: reading {} failed, trying again: {}", config.getId(), config.getTopic(), e.toString());
                    service.awaitLeadershipChange(Duration.ofSeconds(1));
                }
            }
            if (subscribed) {
                commit(kafka, offsets.toCommit());
            }
        } catch (RuntimeException e) {
            LOG.error("fanout {}: the Kafka consumer stopped: {}", config.getId(), e.toString(), e);
        }
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> kafka) {
        if (!service.isLeader()) {
            if (subscribed) {
                leave(kafka);
            }
            service.awaitLeadershipChange(Duration.ofMillis(500));
            return;
        }
        if (!subscribed) {
            kafka.subscribe(List.of(config.getTopic()), new Listener(kafka));
            subscribed = true;
            LOG.info("fanout {}: reading {} in group {}", config.getId(), config.getTopic(), config.effectiveGroupId());
        }
        holdBack(kafka);
        for (ConsumerRecord<byte[], byte[]> record : kafka.poll(POLL)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            handOn.accept(record, offsets.read(partition, record.offset()));
        }
        handOn.endOfPoll();
        measureLag(kafka);
        if (System.currentTimeMillis() - lastCommit >= config.getCommitIntervalMs()) {
            lastCommit = System.currentTimeMillis();
            Map<TopicPartition, OffsetAndMetadata> due = offsets.toCommit(kafka.assignment());
            if (!due.isEmpty()) {
                kafka.commitAsync(due, (done, e) -> {
                    if (e != null) {
                        LOG.warn("fanout {}: committing offsets failed (they are committed with the next): {}",
                                config.getId(), e.toString());
                    }
                });
            }
        }
    }

    /** Pauses every partition while no client is connected or the buffer is full; resumes when that ends. */
    private void holdBack(KafkaConsumer<byte[], byte[]> kafka) {
        boolean hold = service.connectedClients() == 0 || offsets.outstanding() >= config.getBufferSize();
        if (hold && !paused) {
            kafka.pause(kafka.assignment());
            paused = true;
            LOG.debug("fanout {}: paused ({} client(s), {} record(s) out)", config.getId(), service.connectedClients(),
                    offsets.outstanding());
        } else if (!hold && paused) {
            kafka.resume(kafka.paused());
            paused = false;
        }
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> kafka) {
        long total = 0;
        for (TopicPartition partition : kafka.assignment()) {
            var partitionLag = kafka.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return;
            }
            total += partitionLag.getAsLong();
        }
        lag = total;
    }

    /** No longer the leader: what was acknowledged is committed, the rest is the new leader's to deliver. */
    private void leave(KafkaConsumer<byte[], byte[]> kafka) {
        commit(kafka, offsets.toCommit());
        kafka.unsubscribe();
        offsets.clear();
        subscribed = false;
        paused = false;
        lag = -1;
        LOG.info("fanout {}: stopped reading {} (not the leader)", config.getId(), config.getTopic());
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, OffsetAndMetadata> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            kafka.commitSync(due, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("fanout {}: committing offsets failed; the records after them come again: {}", config.getId(), e.toString());
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = FanoutKafka.groupMember(cluster, "fanout-" + config.getId(), config.effectiveGroupId(), config);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return p;
    }

    private final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Listener(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(kafka, offsets.toCommit(partitions));
            offsets.removed(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            offsets.assigned(partitions);
            if (paused) {
                kafka.pause(new ArrayList<>(partitions));
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            offsets.removed(partitions);
        }
    }
}
