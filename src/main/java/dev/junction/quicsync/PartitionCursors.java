package dev.junction.quicsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the sender stands in each source partition it owns: the last source offset it has read and covered (sent,
 * or filtered out), and where its last batch ended, which the next batch names as its predecessor. A cursor starts
 * at what the receiver applied ({@link CursorStart}); records at or below it are dropped, as already covered.
 * Used on the sender task's thread only.
 */
final class PartitionCursors {

    /** One partition's cursor. */
    private static final class Cursor {
        long last;
        /** The end of the last batch sent (or what the receiver had applied): what the next batch follows. */
        long chainEnd;
        /** False until the first batch is sent when the receiver had nothing of the partition. */
        boolean chained;

        Cursor(long last, boolean chained) {
            this.last = last;
            this.chainEnd = last;
            this.chained = chained;
        }
    }

    private final Map<TopicPartition, Cursor> cursors = new HashMap<>();

    boolean knows(TopicPartition partition) {
        return cursors.containsKey(partition);
    }

    /**
     * Starts a partition at {@code last}: the last offset the receiver applied ({@code receiverHasIt}), or else the
     * offset before where reading starts (the receiver then takes the first batch as it comes).
     */
    void start(TopicPartition partition, long last, boolean receiverHasIt) {
        cursors.put(partition, new Cursor(last, receiverHasIt));
    }

    long last(TopicPartition partition) {
        return cursors.get(partition).last;
    }

    /** What the partition's next batch follows ({@link RecordBatch#NO_PREDECESSOR} when the receiver has nothing). */
    long after(TopicPartition partition) {
        Cursor cursor = cursors.get(partition);
        return cursor.chained ? cursor.chainEnd : RecordBatch.NO_PREDECESSOR;
    }

    /** A batch of the partition ending at {@code through} was sent. */
    void sent(TopicPartition partition, long through) {
        Cursor cursor = cursors.get(partition);
        cursor.chainEnd = through;
        cursor.chained = true;
    }

    /**
     * The records of {@code records} (one partition's, in offset order) past the cursor, which moves to the last of
     * them. Gaps between offsets are normal (transaction markers, aborted transactions, compaction).
     */
    <R extends ConsumerRecord<?, ?>> List<R> admit(TopicPartition partition, List<R> records) {
        Cursor cursor = cursors.get(partition);
        List<R> admitted = new ArrayList<>(records.size());
        for (R r : records) {
            if (r.offset() > cursor.last) {
                admitted.add(r);
                cursor.last = r.offset();
            }
        }
        return admitted;
    }

    /** Forgets these partitions' cursors: they start again from what the receiver applied. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(cursors::remove);
    }
}
