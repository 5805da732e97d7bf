package dev.junction.quicsync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the sender stands in each source partition: the last source offset it has read and covered (sent, or
 * filtered out). It starts at what the receiver has applied, so the consumer's committed offsets need not be right.
 * <p>
 * The consumer must hand records on in order from there. A record read again is dropped. A jump ahead is checked
 * against the source log ({@link SourceGapProbe}) where it can hide records: at the first record of each partition
 * in a poll (when a poll fails, camel-kafka starts a new batch and drops the records it held, while the consumer's
 * position stays past them), and anywhere in a poll read across a group rebalance (positions then move to what the
 * group committed, possibly by another member). A jump over committed records is never sent: the partition is read
 * again from the first record jumped over.
 * Used on the consumer's thread only.
 */
final class PartitionCursors {

    /** One partition's cursor. */
    private static final class Cursor {
        long last;
        /** The end of the last batch sent (or what the receiver had applied): what the next batch follows. */
        long chainEnd;
        /** False until the first batch is sent when the receiver had nothing of the partition. */
        boolean chained;
        /** After a jump over committed records: the first of them, where the partition is read again. */
        Long readAgainFrom;

        Cursor(long last, boolean chained) {
            this.last = last;
            this.chainEnd = last;
            this.chained = chained;
        }
    }

    /**
     * What of one poll's records of a partition follows the cursor; {@code readAgainFrom}, when not null, is where
     * the consumer must read the partition again from (it jumped over committed records).
     */
    record Admitted(List<Exchange> records, Long readAgainFrom) {
    }

    private final Map<TopicPartition, Cursor> cursors = new HashMap<>();
    private final SourceGapProbe probe;

    PartitionCursors(SourceGapProbe probe) {
        this.probe = probe;
    }

    boolean knows(TopicPartition partition) {
        return cursors.containsKey(partition);
    }

    /**
     * Starts a partition at {@code last}, the last offset the receiver applied ({@code receiverHasIt}), or else the
     * offset before where the consumer starts (the receiver then takes the first batch as it comes).
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
     * The records of {@code records} (one partition's, in the order read) that follow the cursor, which moves to the
     * last of them. {@code checkEveryJump}: the poll was read across a rebalance, so a jump between two records
     * can hide lost ones too.
     */
    Admitted admit(TopicPartition partition, List<Exchange> records, boolean checkEveryJump) {
        Cursor cursor = cursors.get(partition);
        List<Exchange> admitted = new ArrayList<>(records.size());
        boolean firstNew = true;
        for (Exchange r : records) {
            long offset = r.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
            if (offset <= cursor.last) {
                continue; // read again: covered already
            }
            // The first new record of a poll is checked even while reading again (retention may have removed the
            // record it waits for); later ones only across a rebalance.
            if (offset > cursor.last + 1 && (firstNew || (checkEveryJump && cursor.readAgainFrom == null))) {
                long first = probe.firstRecord(partition, cursor.last + 1, offset);
                cursor.readAgainFrom = first < offset ? first : null;
            }
            firstNew = false;
            if (cursor.readAgainFrom != null && offset != cursor.readAgainFrom) {
                continue; // past records the consumer lost: they are read again first
            }
            admitted.add(r);
            cursor.last = offset;
            cursor.readAgainFrom = null;
        }
        return new Admitted(admitted, cursor.readAgainFrom);
    }

    /** Forgets every cursor: they start again from what the receiver applied. */
    void clear() {
        cursors.clear();
    }
}
