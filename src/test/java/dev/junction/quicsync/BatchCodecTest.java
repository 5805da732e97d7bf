package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wire format alone: what goes in comes out, for every codec; a malformed batch is refused with a reason. */
class BatchCodecTest {

    private static List<MirrorRecord> records(long firstOffset, int n) {
        List<MirrorRecord> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<MirrorRecord.Header> headers = i % 2 == 0 ? List.of() : List.of(
                    new MirrorRecord.Header("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)), new MirrorRecord.Header("empty", null));
            list.add(new MirrorRecord(firstOffset + 2L * i, 1_700_000_000_000L + i, i % 3 == 0 ? null : ("k" + i).getBytes(StandardCharsets.UTF_8),
                    i % 5 == 0 ? null : ("value " + i).getBytes(StandardCharsets.UTF_8), headers));
        }
        return list;
    }

    @Test
    void severalPartitionsRoundTripWithEveryCodec() throws Exception {
        RecordBatch batch = new RecordBatch(4, List.of(new RecordBatch.PartitionRecords(0, records(10, 7)),
                new RecordBatch.PartitionRecords(3, records(1_000_000_000_000L, 3))));
        for (BatchCodec.Compression codec : BatchCodec.Compression.values()) {
            byte[] frame = BatchCodec.encode(batch, codec);
            RecordBatch back = BatchCodec.decode(frame, 1_000_000);
            assertThat(back.partitionCount()).isEqualTo(4);
            assertThat(back.partitions()).hasSize(2);
            assertThat(back.recordCount()).isEqualTo(10);
            for (int p = 0; p < 2; p++) {
                List<MirrorRecord> in = batch.partitions().get(p).records();
                List<MirrorRecord> out = back.partitions().get(p).records();
                assertThat(back.partitions().get(p).partition()).isEqualTo(batch.partitions().get(p).partition());
                for (int i = 0; i < in.size(); i++) {
                    assertThat(out.get(i).offset()).isEqualTo(in.get(i).offset());
                    assertThat(out.get(i).timestamp()).isEqualTo(in.get(i).timestamp());
                    assertThat(out.get(i).key()).isEqualTo(in.get(i).key());
                    assertThat(out.get(i).value()).isEqualTo(in.get(i).value());
                    assertThat(out.get(i).headers()).usingRecursiveComparison().isEqualTo(in.get(i).headers());
                }
            }
            assertThat(BatchCodec.rawLength(frame)).isGreaterThan(0);
        }
    }

    @Test
    void partitionsOutOfOrderTwiceOrOutOfRangeAreRefused() {
        RecordBatch twice = new RecordBatch(3, List.of(new RecordBatch.PartitionRecords(1, records(0, 2)),
                new RecordBatch.PartitionRecords(1, records(10, 2))));
        assertThatThrownBy(() -> BatchCodec.decode(BatchCodec.encode(twice, BatchCodec.Compression.NONE), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("partitions must increase");
        RecordBatch outOfRange = RecordBatch.of(5, 3, records(0, 2));
        assertThatThrownBy(() -> BatchCodec.decode(BatchCodec.encode(outOfRange, BatchCodec.Compression.LZ4), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("invalid partition 5 of 3");
    }

    @Test
    void theChainOfAPartitionTravelsAndRecordsOutsideItAreRefused() throws Exception {
        // Offsets 100..108 kept of (90, 120]: the rest were filtered out.
        RecordBatch chained = new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(0, 90, 120, records(100, 5))));
        RecordBatch.PartitionRecords back = BatchCodec.decode(BatchCodec.encode(chained, BatchCodec.Compression.ZSTD), 1_000_000).partitions().get(0);
        assertThat(back.after()).isEqualTo(90);
        assertThat(back.through()).isEqualTo(120);
        RecordBatch before = new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(0, 100, 120, records(100, 5))));
        assertThatThrownBy(() -> BatchCodec.decode(BatchCodec.encode(before, BatchCodec.Compression.NONE), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("not within (100, 120]");
        RecordBatch beyond = new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(0, 90, 105, records(100, 5))));
        assertThatThrownBy(() -> BatchCodec.decode(BatchCodec.encode(beyond, BatchCodec.Compression.NONE), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("not within (90, 105]");
    }

    @Test
    void halvesSplitByPartitionThenByOffset() {
        RecordBatch three = new RecordBatch(3, List.of(new RecordBatch.PartitionRecords(0, records(0, 4)),
                new RecordBatch.PartitionRecords(1, records(0, 4)), new RecordBatch.PartitionRecords(2, records(0, 4))));
        List<RecordBatch> halves = BatchPoster.halves(three);
        assertThat(halves.get(0).partitions()).extracting(RecordBatch.PartitionRecords::partition).containsExactly(0);
        assertThat(halves.get(1).partitions()).extracting(RecordBatch.PartitionRecords::partition).containsExactly(1, 2);
        List<RecordBatch> one = BatchPoster.halves(RecordBatch.of(2, 3, records(0, 5)));
        assertThat(one.get(0).recordCount() + one.get(1).recordCount()).isEqualTo(5);
        RecordBatch.PartitionRecords first = one.get(0).partitions().get(0);
        RecordBatch.PartitionRecords second = one.get(1).partitions().get(0);
        assertThat(second.after()).as("the second half follows the first").isEqualTo(first.through());
        assertThat(first.through()).isLessThan(second.records().get(0).offset());
        assertThat(second.through()).isEqualTo(8);
    }
    /** A frame around {@code raw} as it is, not compressed. */
    private static byte[] uncompressedFrame(java.nio.ByteBuffer raw) {
        raw.flip();
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(9 + raw.remaining());
        frame.put("JQS2".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putInt(raw.remaining()).put(raw);
        return frame.array();
    }

    @Test
    void countsLargerThanTheBytesLeftAreRefusedBeforeAnythingIsAllocated() {
        // 2^31-1 partitions and sections in a 40-byte batch: once an OutOfMemoryError that left the request unanswered.
        java.nio.ByteBuffer huge = java.nio.ByteBuffer.allocate(40).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> BatchCodec.decode(uncompressedFrame(huge.position(40)), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("invalid partition count 2147483647");
        // A plausible partition count, but more sections than the bytes left can hold.
        java.nio.ByteBuffer sections = java.nio.ByteBuffer.allocate(40).putInt(1000).putInt(1000);
        assertThatThrownBy(() -> BatchCodec.decode(uncompressedFrame(sections.position(40)), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("invalid batch header: 1000 partitions of 1000 in 32 bytes");
        // One section that claims a million records.
        java.nio.ByteBuffer records = java.nio.ByteBuffer.allocate(64).putInt(1).putInt(1).putInt(0).putLong(-1).putLong(5)
                .putInt(1_000_000);
        assertThatThrownBy(() -> BatchCodec.decode(uncompressedFrame(records.position(64)), 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("invalid record count 1000000");
    }

    @Test
    void aFrameWhoseLengthDisagreesWithItsPayloadIsRefused() throws Exception {
        byte[] frame = BatchCodec.encode(new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(0, records(0, 3)))),
                BatchCodec.Compression.NONE);
        java.nio.ByteBuffer.wrap(frame).putInt(5, BatchCodec.rawLength(frame) + 1);
        assertThatThrownBy(() -> BatchCodec.decode(frame, 1_000_000))
                .isInstanceOf(BadBatchException.class).hasMessageContaining("bytes, not");
        for (BatchCodec.Compression codec : List.of(BatchCodec.Compression.LZ4, BatchCodec.Compression.ZSTD)) {
            byte[] compressed = BatchCodec.encode(new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(0, records(0, 3)))), codec);
            java.nio.ByteBuffer.wrap(compressed).putInt(5, BatchCodec.rawLength(compressed) - 1);
            assertThatThrownBy(() -> BatchCodec.decode(compressed, 1_000_000)).as(codec.name()).isInstanceOf(BadBatchException.class);
        }
    }
}
