package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The sender's cursors: gaps in offsets pass, records at or below the cursor are dropped, batches chain. */
class PartitionCursorsTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    private static List<ConsumerRecord<byte[], byte[]>> read(long... offsets) {
        return LongStream.of(offsets).mapToObj(o -> new ConsumerRecord<byte[], byte[]>(PARTITION.topic(), 0, o, null, null)).toList();
    }

    private static List<Long> offsets(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }

    @Test
    void aPartitionNewToTheReceiverChainsFromItsFirstBatch() {
        PartitionCursors cursors = new PartitionCursors();
        cursors.start(PARTITION, 9, false);
        assertThat(cursors.after(PARTITION)).as("the receiver has nothing yet").isEqualTo(RecordBatch.NO_PREDECESSOR);
        // Transaction markers and aborted records leave gaps: they are no loss.
        assertThat(offsets(cursors.admit(PARTITION, read(10, 11, 15, 16)))).containsExactly(10L, 11L, 15L, 16L);
        cursors.sent(PARTITION, 16);
        assertThat(cursors.after(PARTITION)).isEqualTo(16);
        assertThat(cursors.last(PARTITION)).isEqualTo(16);
    }

    @Test
    void recordsAtOrBelowTheCursorAreDropped() {
        PartitionCursors cursors = new PartitionCursors();
        cursors.start(PARTITION, 20, true);
        assertThat(cursors.after(PARTITION)).as("what the receiver applied").isEqualTo(20);
        assertThat(offsets(cursors.admit(PARTITION, read(19, 20, 21, 22)))).containsExactly(21L, 22L);
        assertThat(offsets(cursors.admit(PARTITION, read(22, 23)))).containsExactly(23L);
    }

    @Test
    void aForgottenPartitionIsUnknownUntilStartedAgain() {
        PartitionCursors cursors = new PartitionCursors();
        cursors.start(PARTITION, 5, true);
        cursors.forget(List.of(PARTITION));
        assertThat(cursors.knows(PARTITION)).isFalse();
    }
}
