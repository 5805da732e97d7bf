package dev.junction.quicsync;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's reading side, on a thread of its own that owns its {@code KafkaConsumer} (as Kafka's
 * MirrorSourceTask does). Partitions it is given are paused until {@link CursorStart} has sought them to what the
 * receiver applied; each poll's records then go out per partition in requests of the link window's size, several in
 * flight at once ({@link BatchPoster}, {@link InFlightBatches}), and a partition's offset is committed only up to
 * what the receiver confirmed. A batch that fails for good (after batchRetryMs) has its partitions read again from
 * what the receiver applied. Replicas in one consumer group split the partitions; before a partition moves, what is
 * in flight is settled and committed.
 */
final class SenderTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SenderTask.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Wait after an error of the source cluster or the receiver before the loop tries again. */
    private static final long ERROR_PAUSE_MS = 1000;

    private final QuicSyncConfiguration config;
    private final KafkaConsumer<byte[], byte[]> source;
    private final Pattern topics;
    private final RecordSelection selection;
    private final SourceTopics sourceTopics;
    private final BatchPoster poster;
    private final ExecutorService posters;
    private final LinkWindow linkWindow;
    private final InFlightBatches inFlight;
    private final PartitionCursors cursors = new PartitionCursors();
    private final CursorStart cursorStart;
    /** Set while the batches in flight are being given up: those still retrying stop at their next attempt. */
    private final AtomicBoolean abandoning;
    private final BooleanSupplier stopping;
    private final Counter readAgains;
    /** Partitions given to this sender and not yet sought to what the receiver applied: paused until then. */
    private final Set<TopicPartition> unstarted = new HashSet<>();
    private final AtomicInteger nextConnection = new AtomicInteger();
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    private volatile boolean running = true;

    /** {@code source}: the consumer this task owns from now on (built by the caller, so a bad setting fails its start). */
    SenderTask(QuicSyncConfiguration config, KafkaConsumer<byte[], byte[]> source, RecordSelection selection,
            SourceTopics sourceTopics, ReceiverOffsets receiverOffsets, BatchPoster poster, ExecutorService posters,
            LinkWindow linkWindow, AtomicBoolean abandoning, BooleanSupplier stopping, Counter readAgains, Counter deletedOffsets) {
        this.config = config;
        this.source = source;
        this.topics = RecordSelection.subscription(config.getTopics(), config.getExcludeTopics());
        this.selection = selection;
        this.sourceTopics = sourceTopics;
        this.poster = poster;
        this.posters = posters;
        this.linkWindow = linkWindow;
        this.inFlight = new InFlightBatches(() -> linkWindow.requestsInFlight(System.currentTimeMillis()));
        this.cursorStart = new CursorStart(cursors, receiverOffsets, deletedOffsets);
        this.abandoning = abandoning;
        this.stopping = stopping;
        this.readAgains = readAgains;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = source) {
            kafka = consumer;
            consumer.subscribe(topics, new Rebalance());
            LOG.info("quic-sync: mirroring the source topics that match {} to {}:{} in group {}", topics.pattern(),
                    config.getHost(), config.getPort(), config.getGroupId());
            while (running && !stopping.getAsBoolean()) {
                try {
                    step(consumer);
                } catch (WakeupException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    if (!running || stopping.getAsBoolean()) {
                        break;
                    }
                    LOG.warn("quic-sync: {}; trying again in {} ms", e.getMessage(), ERROR_PAUSE_MS);
                    pause();
                }
            }
            settle(consumer, true);
        } catch (RuntimeException e) {
            LOG.error("quic-sync: the source consumer stopped: {}", e.toString(), e);
        }
    }

    /** Stops the loop: a poll in progress returns at once; batches in flight give up (they are sent again at the next start). */
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = kafka;
        if (c != null) {
            c.wakeup();
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> consumer) throws InterruptedException {
        long giveUpAt = System.currentTimeMillis() + config.getBatchRetryMs();
        if (!unstarted.isEmpty()) {
            List<TopicPartition> starting = List.copyOf(unstarted);
            if (!cursorStart.start(consumer, starting, giveUpAt)) {
                return; // stopping
            }
            unstarted.removeAll(starting);
            consumer.resume(starting);
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        for (TopicPartition tp : records.partitions()) {
            if (cursors.knows(tp) && !send(consumer, tp, cursors.admit(tp, records.records(tp)), giveUpAt)) {
                return; // a batch failed for good: the partitions are read again
            }
        }
        commitConfirmed(consumer);
    }

    /**
     * Sends one partition's records of a poll in requests of the link window's size; what the filters drop only
     * moves the partition on. Returns false when a batch failed for good meanwhile.
     */
    private boolean send(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records,
            long giveUpAt) throws InterruptedException {
        int requestRecords = linkWindow.requestRecords(System.currentTimeMillis());
        for (int from = 0; from < records.size(); from += requestRecords) {
            List<ConsumerRecord<byte[], byte[]>> slice = records.subList(from, Math.min(records.size(), from + requestRecords));
            long through = slice.get(slice.size() - 1).offset();
            List<MirrorRecord> kept = selection.kept(slice);
            if (kept.isEmpty()) {
                inFlight.skipped(tp, through);
                continue;
            }
            RecordBatch batch = new RecordBatch(partitionCount(tp), List.of(new RecordBatch.PartitionRecords(
                    tp.partition(), cursors.after(tp), through, kept)));
            cursors.sent(tp, through);
            inFlight.awaitRoom();
            if (!commitConfirmed(consumer)) {
                return false;
            }
            int connection = Math.floorMod(nextConnection.getAndIncrement(), config.getConnections());
            String settings = sourceTopics.settings(tp.topic());
            inFlight.sent(tp, through, posters.submit(() -> {
                poster.post(tp.topic(), batch, settings, connection, giveUpAt);
                return null;
            }));
        }
        return true;
    }

    private int partitionCount(TopicPartition tp) {
        try {
            return sourceTopics.partitionCount(tp);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the partition count of " + tp.topic() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits what the receiver confirmed. When a batch failed for good, gives up the others, commits what they
     * confirmed, and has every partition read again from what the receiver applied; then returns false.
     */
    private boolean commitConfirmed(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> confirmed = new HashMap<>();
        Exception failure = inFlight.takeConfirmed(confirmed);
        if (failure == null) {
            commit(consumer, confirmed, false);
            return true;
        }
        commit(consumer, confirmed, false);
        Set<TopicPartition> failed = settle(consumer, true);
        if (!stopping.getAsBoolean() && running) {
            failed.retainAll(consumer.assignment());
            LOG.warn("quic-sync: {}; reading {} again from what the receiver applied", failure.getMessage(), failed);
            readAgains.increment(failed.size());
            readAgain(consumer, failed);
        }
        return false;
    }

    /**
     * Waits for every batch in flight, giving up those still retrying, and commits (when {@code commit}) what was
     * confirmed. Returns the partitions whose batches did not all get through.
     */
    private Set<TopicPartition> settle(KafkaConsumer<byte[], byte[]> consumer, boolean commit) {
        Map<TopicPartition, Long> confirmed = new HashMap<>();
        Set<TopicPartition> failed = new HashSet<>();
        abandoning.set(true);
        try {
            inFlight.awaitAll();
            if (inFlight.takeConfirmed(confirmed) != null) {
                failed.addAll(inFlight.partitions());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.addAll(inFlight.partitions());
        } finally {
            inFlight.clear();
            abandoning.set(false);
        }
        if (commit) {
            commit(consumer, confirmed, true);
        }
        return failed;
    }

    /** Pauses {@code partitions} and forgets their cursors: the next step seeks them to what the receiver applied. */
    private void readAgain(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        cursors.forget(partitions);
        unstarted.addAll(partitions);
        consumer.pause(partitions);
    }

    /** Commits, per partition, the offset after the last one confirmed (or filtered out). */
    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> lastConfirmed, boolean sync) {
        if (lastConfirmed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lastConfirmed.forEach((tp, last) -> offsets.put(tp, new OffsetAndMetadata(last + 1)));
        try {
            if (sync) {
                commitSync(consumer, offsets);
            } else {
                consumer.commitAsync(offsets, (done, e) -> {
                    if (e != null) {
                        LOG.debug("quic-sync could not commit {} (the next commit covers it): {}", done, e.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            // The receiver has them: a partition that moved starts, wherever it goes, from what the receiver applied.
            LOG.debug("quic-sync could not commit {}: {}", offsets, e.toString());
        }
    }

    /** A wakeup meant for the poll (the sender stops) must not cost the last commit: it is taken, and tried once more. */
    private static void commitSync(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException stopping) {
            consumer.commitSync(offsets);
        }
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Partitions given and taken by the group, called on this thread within poll. Before a partition goes, what is
     * in flight is settled and committed, so its next owner starts where the receiver stands.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            readAgainIfFailed(settle(kafka, true), revoked);
            cursors.forget(revoked);
            unstarted.removeAll(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another member may own them already: nothing is committed for them.
            readAgainIfFailed(settle(kafka, false), lost);
            cursors.forget(lost);
            unstarted.removeAll(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (!assigned.isEmpty()) {
                LOG.info("quic-sync: given {}", assigned);
                readAgain(kafka, assigned);
            }
        }

        /** Partitions this sender keeps whose batches did not get through are read again. */
        private void readAgainIfFailed(Set<TopicPartition> failed, Collection<TopicPartition> leaving) {
            failed.removeAll(leaving);
            failed.retainAll(kafka.assignment());
            if (!failed.isEmpty()) {
                readAgain(kafka, failed);
            }
        }
    }
}
