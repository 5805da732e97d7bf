package dev.junction.quicsync;

import java.util.List;

/**
 * What one request carries: records of one source topic, grouped per source partition (each partition at most
 * once), with the topic's partition count (so the receiver can create a missing destination topic alike).
 */
public record RecordBatch(int partitionCount, List<PartitionRecords> partitions) {

    /** No predecessor named: apply whatever the receiver has not applied yet. */
    public static final long NO_PREDECESSOR = -1;

    /**
     * Records of one source partition, in offset order, covering the source offsets {@code (after, through]}: the
     * records of that range that passed the sender's filters. {@code after} is where the batch sent before it on
     * this partition ended; the receiver applies this batch only once that one is applied, so batches sent in
     * parallel are applied in order. {@code through} is the last source offset read (a filtered record after the
     * last one kept still counts).
     */
    public record PartitionRecords(int partition, long after, long through, List<MirrorRecord> records) {

        /** A section that follows nothing in particular and ends at its last record. */
        public PartitionRecords(int partition, List<MirrorRecord> records) {
            this(partition, NO_PREDECESSOR, records.get(records.size() - 1).offset(), records);
        }
    }

    /** A batch of a single partition that follows nothing in particular. */
    public static RecordBatch of(int partition, int partitionCount, List<MirrorRecord> records) {
        return new RecordBatch(partitionCount, List.of(new PartitionRecords(partition, records)));
    }

    public int recordCount() {
        int n = 0;
        for (PartitionRecords p : partitions) {
            n += p.records().size();
        }
        return n;
    }
}
