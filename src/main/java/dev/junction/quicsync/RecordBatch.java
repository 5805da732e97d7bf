package dev.junction.quicsync;

import java.util.List;

/**
 * What one request carries: records of one source topic, grouped per source partition (each group in offset
 * order, each partition at most once), with the topic's partition count (so the receiver can create a missing
 * destination topic alike).
 */
public record RecordBatch(int partitionCount, List<PartitionRecords> partitions) {

    /** Records of one source partition, in offset order. */
    public record PartitionRecords(int partition, List<MirrorRecord> records) {

        public long lastOffset() {
            return records.get(records.size() - 1).offset();
        }
    }

    /** A batch of a single partition. */
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
