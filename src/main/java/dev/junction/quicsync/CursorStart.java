package dev.junction.quicsync;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sender starts reading a partition it was given, or reads it again after a batch failed for good: it
 * seeks the partition to just after what the receiver applied, so the group's committed offsets only matter where
 * the receiver has nothing of it (then: the committed offset, or the log's beginning). One question to the receiver
 * per topic, for all of that topic's partitions at once.
 */
final class CursorStart {

    private static final Logger LOG = LoggerFactory.getLogger(CursorStart.class);

    private final PartitionCursors cursors;
    private final ReceiverOffsets receiverOffsets;
    private final Counter deletedOffsets;

    CursorStart(PartitionCursors cursors, ReceiverOffsets receiverOffsets, Counter deletedOffsets) {
        this.cursors = cursors;
        this.receiverOffsets = receiverOffsets;
        this.deletedOffsets = deletedOffsets;
    }

    /**
     * Seeks each of {@code partitions} and starts its cursor. Returns false when the sender stopped meanwhile (then
     * none is started); throws when the receiver did not answer by {@code giveUpAt}.
     */
    boolean start(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, long giveUpAt) throws InterruptedException {
        Map<String, Map<Integer, Long>> applied = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (!applied.containsKey(tp.topic())) {
                Map<Integer, Long> ofTopic = receiverOffsets.applied(tp.topic(), giveUpAt);
                if (ofTopic == null) {
                    return false;
                }
                applied.put(tp.topic(), ofTopic);
            }
        }
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
        Set<TopicPartition> notAtReceiver = new HashSet<>();
        for (TopicPartition tp : partitions) {
            Long last = applied.get(tp.topic()).get(tp.partition());
            if (last == null) {
                notAtReceiver.add(tp);
                continue;
            }
            long next = last + 1;
            long first = beginning.get(tp);
            if (first > next) {
                // Retention removed them before they crossed the link: the receiver takes what is left.
                LOG.warn("quic-sync: offsets {}..{} of {} were deleted from the source before they were mirrored", next, first - 1, tp);
                deletedOffsets.increment(first - next);
                next = first;
            }
            consumer.seek(tp, next);
            cursors.start(tp, last, true);
            LOG.info("quic-sync: {} goes on after offset {}, the last the receiver applied", tp, last);
        }
        if (!notAtReceiver.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(notAtReceiver);
            for (TopicPartition tp : notAtReceiver) {
                OffsetAndMetadata c = committed.get(tp);
                long first = c != null ? Math.max(c.offset(), beginning.get(tp)) : beginning.get(tp);
                consumer.seek(tp, first);
                cursors.start(tp, first - 1, false);
                LOG.info("quic-sync: {} is new to the receiver; it starts at offset {} ({})", tp, first,
                        c != null ? "committed" : "the log's beginning");
            }
        }
        return true;
    }
}
