package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The commit point never passes a record still out, whatever order records finish in. */
class PartitionOffsetsTest {

    private static final TopicPartition P = new TopicPartition("t", 0);

    @Test
    void theCommitPointStopsAtTheLowestRecordStillOut() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.assigned(Set.of(P));
        // Offsets with gaps, as a compacted topic or transaction markers leave them.
        PartitionOffsets.Track track = offsets.read(P, 10);
        offsets.read(P, 11);
        offsets.read(P, 15);
        assertThat(offsets.outstanding()).isEqualTo(3);
        assertThat(track.commitPoint()).isEqualTo(10);

        track.done(11);
        assertThat(track.commitPoint()).isEqualTo(10);
        track.done(10);
        assertThat(track.commitPoint()).isEqualTo(15);
        track.done(15);
        assertThat(track.commitPoint()).isEqualTo(16);
        assertThat(offsets.outstanding()).isZero();

        track.done(15); // a second finish of the same record, and one never read, change nothing
        track.done(99);
        assertThat(offsets.outstanding()).isZero();
        assertThat(offsets.toCommit(Set.of(P))).containsEntry(P, new OffsetAndMetadata(16));
        assertThat(offsets.toCommit(Set.of(P))).isEmpty(); // nothing moved since
    }

    @Test
    void manyRecordsFinishedInRandomOrderAreCountedExactly() {
        PartitionOffsets offsets = new PartitionOffsets();
        PartitionOffsets.Track track = null;
        int n = 20_000; // far beyond the ring's first size
        List<Long> read = new ArrayList<>();
        for (long offset = 0; offset < 2L * n; offset += 2) {
            track = offsets.read(P, offset);
            read.add(offset);
        }
        Collections.shuffle(read, new Random(42));
        long lowestOut = 0;
        TreeSet<Long> out = new TreeSet<>(read);
        for (long offset : read) {
            assertThat(track.commitPoint()).isEqualTo(lowestOut);
            track.done(offset);
            out.remove(offset);
            lowestOut = out.isEmpty() ? 2L * n - 1 : out.first();
        }
        assertThat(offsets.outstanding()).isZero();
        assertThat(track.commitPoint()).isEqualTo(2L * n - 1);
    }
}
