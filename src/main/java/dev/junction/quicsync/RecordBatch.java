package dev.junction.quicsync;

import java.util.List;

/**
 * Records of one source partition, in offset order, with the source topic's partition count (so the receiver
 * can create a missing destination topic alike).
 */
public record RecordBatch(int partition, int partitionCount, List<MirrorRecord> records) {

    public long lastOffset() {
        return records.get(records.size() - 1).offset();
    }
}
