package dev.junction.quicsync;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.github.luben.zstd.Zstd;
import net.jpountz.lz4.LZ4Factory;

/**
 * The quic-sync batch wire format (docs/quic-sync-protocol.md): a frame {@code "JQS2" | codec | rawLength} around
 * the batch (one section per source partition), compressed with zstd or lz4 (or not at all). Every length is checked before it is used, so a
 * malformed body is refused with a reason and a decompression bomb never allocates past the limit.
 */
public final class BatchCodec {

    private static final byte[] MAGIC = "JQS2".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = MAGIC.length + 1 + 4;
    /** zstd's fastest regular level: on record data it compresses nearly as well as level 3 for less CPU. */
    private static final int ZSTD_LEVEL = 1;
    /** A section's header: partition, after, through, record count. */
    private static final int SECTION_HEADER = 4 + 8 + 8 + 4;
    /** The smallest record: offset, timestamp, key and value lengths, header count. */
    private static final int MIN_RECORD = 8 + 8 + 4 + 4 + 4;
    /** More partitions than any topic has (Kafka advises thousands at most): a larger count is not a real batch. */
    static final int MAX_PARTITIONS = 100_000;

    /** How the batch is compressed on the wire. */
    public enum Compression {
        NONE, LZ4, ZSTD;

        public static Compression of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private BatchCodec() {
    }

    public static byte[] encode(RecordBatch batch, Compression compression) {
        byte[] raw = rawBytes(batch);
        byte[] payload = switch (compression) {
            case NONE -> raw;
            case LZ4 -> LZ4Factory.fastestInstance().fastCompressor().compress(raw);
            case ZSTD -> Zstd.compress(raw, ZSTD_LEVEL);
        };
        ByteBuffer out = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        out.put(MAGIC).put((byte) compression.ordinal()).putInt(raw.length).put(payload);
        return out.array();
    }

    /** The raw batch, written into one array of exactly its size (no stream, no copy). */
    private static byte[] rawBytes(RecordBatch batch) {
        ByteBuffer out = ByteBuffer.allocate(rawSize(batch));
        out.putInt(batch.partitionCount()).putInt(batch.partitions().size());
        for (RecordBatch.PartitionRecords section : batch.partitions()) {
            out.putInt(section.partition()).putLong(section.after()).putLong(section.through()).putInt(section.records().size());
            for (MirrorRecord r : section.records()) {
                out.putLong(r.offset()).putLong(r.timestamp());
                putBytes(out, r.key());
                putBytes(out, r.value());
                out.putInt(r.headers().size());
                for (MirrorRecord.Header h : r.headers()) {
                    putBytes(out, h.name().getBytes(StandardCharsets.UTF_8));
                    putBytes(out, h.value());
                }
            }
        }
        return out.array();
    }

    private static int rawSize(RecordBatch batch) {
        long size = 8;
        for (RecordBatch.PartitionRecords section : batch.partitions()) {
            size += 24;
            for (MirrorRecord r : section.records()) {
                size += 16 + 4 + length(r.key()) + 4 + length(r.value()) + 4;
                for (MirrorRecord.Header h : r.headers()) {
                    size += 4 + h.name().getBytes(StandardCharsets.UTF_8).length + 4 + length(h.value());
                }
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a quic-sync batch of " + size + " bytes is too large; send fewer records per batch");
        }
        return (int) size;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void putBytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    /** The size of the batch before compression, from an encoded frame's header. */
    public static int rawLength(byte[] frame) {
        return ByteBuffer.wrap(frame, MAGIC.length + 1, 4).getInt();
    }

    /** Decodes a request body; {@code maxRawBytes} bounds the decompressed size. */
    public static RecordBatch decode(byte[] body, long maxRawBytes) throws BadBatchException {
        if (body == null || body.length < FRAME_HEADER) {
            throw new BadBatchException("the body is not a quic-sync batch (too short)", false);
        }
        ByteBuffer frame = ByteBuffer.wrap(body);
        byte[] magic = new byte[MAGIC.length];
        frame.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new BadBatchException("the body is not a quic-sync batch (bad magic)", false);
        }
        int codec = frame.get();
        int rawLength = frame.getInt();
        if (codec < 0 || codec >= Compression.values().length) {
            throw new BadBatchException("unknown compression codec " + codec, false);
        }
        if (rawLength < 32) {
            throw new BadBatchException("invalid batch length " + rawLength, false);
        }
        if (rawLength > maxRawBytes) {
            throw new BadBatchException("the batch is " + rawLength + " bytes decompressed, over the limit of " + maxRawBytes, true);
        }
        // The payload is read where it lies in the body (no copy); only a compressed one gets an array of its own.
        int payloadLength = body.length - FRAME_HEADER;
        Compression compression = Compression.values()[codec];
        if (compression == Compression.NONE) {
            if (payloadLength != rawLength) {
                throw new BadBatchException("the batch is " + payloadLength + " bytes, not " + rawLength, false);
            }
            return parse(ByteBuffer.wrap(body, FRAME_HEADER, payloadLength));
        }
        byte[] raw = new byte[rawLength];
        int decompressed;
        try {
            decompressed = compression == Compression.LZ4
                    ? LZ4Factory.fastestInstance().safeDecompressor().decompress(body, FRAME_HEADER, payloadLength, raw, 0, rawLength)
                    : (int) Zstd.decompressByteArray(raw, 0, rawLength, body, FRAME_HEADER, payloadLength);
        } catch (RuntimeException e) {
            throw new BadBatchException("the batch does not decompress: " + e.getMessage(), false);
        }
        if (decompressed != rawLength) {
            throw new BadBatchException("the batch decompresses to " + decompressed + " bytes, not " + rawLength, false);
        }
        return parse(ByteBuffer.wrap(raw));
    }

    private static RecordBatch parse(ByteBuffer in) throws BadBatchException {
        try {
            int partitionCount = in.getInt();
            int sections = in.getInt();
            if (partitionCount <= 0 || partitionCount > MAX_PARTITIONS) {
                throw new BadBatchException("invalid partition count " + partitionCount + " (quic-sync mirrors topics of 1 to "
                        + MAX_PARTITIONS + " partitions)", false);
            }
            // Each section takes at least its header: a count larger than the bytes left allow is refused before
            // anything is allocated for it.
            if (sections <= 0 || sections > partitionCount || sections > in.remaining() / SECTION_HEADER) {
                throw new BadBatchException("invalid batch header: " + sections + " partitions of " + partitionCount
                        + " in " + in.remaining() + " bytes", false);
            }
            List<RecordBatch.PartitionRecords> partitions = new ArrayList<>(sections);
            int previousPartition = -1;
            for (int s = 0; s < sections; s++) {
                int partition = in.getInt();
                long after = in.getLong();
                long through = in.getLong();
                int count = in.getInt();
                if (partition <= previousPartition || partition >= partitionCount) {
                    throw new BadBatchException("invalid partition " + partition + " of " + partitionCount
                            + " (partitions must increase within a batch)", false);
                }
                if (count <= 0 || count > in.remaining() / MIN_RECORD) {
                    throw new BadBatchException("invalid record count " + count + " for partition " + partition, false);
                }
                previousPartition = partition;
                List<MirrorRecord> records = parseRecords(in, count);
                if (after < RecordBatch.NO_PREDECESSOR || records.get(0).offset() <= after
                        || through < records.get(records.size() - 1).offset()) {
                    throw new BadBatchException("partition " + partition + ": records " + records.get(0).offset() + ".."
                            + records.get(records.size() - 1).offset() + " are not within (" + after + ", " + through + "]", false);
                }
                partitions.add(new RecordBatch.PartitionRecords(partition, after, through, records));
            }
            if (in.hasRemaining()) {
                throw new BadBatchException(in.remaining() + " bytes after the last record", false);
            }
            return new RecordBatch(partitionCount, partitions);
        } catch (BufferUnderflowException e) {
            throw new BadBatchException("the batch ends in the middle of a record", false);
        }
    }

    private static List<MirrorRecord> parseRecords(ByteBuffer in, int count) throws BadBatchException {
        List<MirrorRecord> records = new ArrayList<>(count);
        long previous = -1;
        for (int i = 0; i < count; i++) {
            long offset = in.getLong();
            if (offset <= previous) {
                throw new BadBatchException("offsets must increase within a partition (" + offset + " after " + previous + ")", false);
            }
            previous = offset;
            long timestamp = in.getLong();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int headerCount = in.getInt();
            if (headerCount < 0 || headerCount > in.remaining() / 8) {
                throw new BadBatchException("invalid header count " + headerCount, false);
            }
            List<MirrorRecord.Header> headers = new ArrayList<>(headerCount);
            for (int h = 0; h < headerCount; h++) {
                byte[] name = readBytes(in);
                if (name == null) {
                    throw new BadBatchException("a header without a name", false);
                }
                headers.add(new MirrorRecord.Header(new String(name, StandardCharsets.UTF_8), readBytes(in)));
            }
            records.add(new MirrorRecord(offset, timestamp, key, value, headers));
        }
        return records;
    }

    private static byte[] readBytes(ByteBuffer in) throws BadBatchException {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new BadBatchException("invalid field length " + length, false);
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }
}
