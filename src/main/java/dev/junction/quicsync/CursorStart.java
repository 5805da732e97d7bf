package dev.junction.quicsync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sender's cursor of a partition starts, when the partition is seen for the first time or again after a
 * failure or rebalance: after what the receiver applied (so committed offsets only say where reading starts, never
 * what counts as mirrored); where the receiver has nothing of it, at the group's committed offset or the log's
 * beginning.
 */
final class CursorStart {

    private static final Logger LOG = LoggerFactory.getLogger(CursorStart.class);

    private final PartitionCursors cursors;
    private final ReceiverOffsets receiverOffsets;

    CursorStart(PartitionCursors cursors, ReceiverOffsets receiverOffsets) {
        this.cursors = cursors;
        this.receiverOffsets = receiverOffsets;
    }

    /**
     * Starts the cursors of those {@code partitions} that have none, and of every other partition of their topics
     * assigned to the consumer: one question to the receiver per topic, asked before this poll's requests fill the
     * link (asked later, for a partition whose records come in a later poll, it would wait behind them: 2 s on a
     * 10 Mbit/s link). Returns false when the sender stopped meanwhile.
     */
    boolean startUnknown(Consumer<?, ?> consumer, Set<TopicPartition> partitions, long giveUpAt) throws Exception {
        Map<String, Map<Integer, Long>> applied = new HashMap<>();
        Set<TopicPartition> notAtReceiver = new HashSet<>();
        Set<TopicPartition> unknown = new LinkedHashSet<>();
        for (TopicPartition tp : partitions) {
            if (!cursors.knows(tp)) {
                unknown.add(tp);
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> topics = new HashSet<>();
            unknown.forEach(tp -> topics.add(tp.topic()));
            consumer.assignment().stream().filter(tp -> topics.contains(tp.topic())).forEach(unknown::add);
        }
        for (TopicPartition tp : unknown) {
            if (cursors.knows(tp)) {
                continue;
            }
            Map<Integer, Long> ofTopic = applied.get(tp.topic());
            if (ofTopic == null) {
                ofTopic = receiverOffsets.applied(tp.topic(), giveUpAt);
                if (ofTopic == null) {
                    return false;
                }
                applied.put(tp.topic(), ofTopic);
            }
            Long last = ofTopic.get(tp.partition());
            if (last != null) {
                cursors.start(tp, last, true);
                LOG.info("quic-sync: {} goes on after offset {}, the last the receiver applied", tp, last);
            } else {
                notAtReceiver.add(tp);
            }
        }
        if (!notAtReceiver.isEmpty()) {
            startFromTheSource(consumer, notAtReceiver);
        }
        return true;
    }

    private void startFromTheSource(Consumer<?, ?> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long first = c != null ? c.offset() : beginning.get(tp);
            cursors.start(tp, first - 1, false);
            LOG.info("quic-sync: {} is new to the receiver; it starts at offset {} ({})", tp, first,
                    c != null ? "committed" : "the log's beginning");
        }
    }
}
