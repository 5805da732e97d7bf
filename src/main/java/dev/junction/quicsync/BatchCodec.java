package dev.junction.quicsync;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.github.luben.zstd.Zstd;
import net.jpountz.lz4.LZ4Factory;

/**
 * The quic-sync batch wire format (docs/quic-sync-protocol.md): a frame {@code "JQS1" | codec | rawLength} around
 * the batch, compressed with zstd or lz4 (or not at all). Every length is checked before it is used, so a
 * malformed body is refused with a reason and a decompression bomb never allocates past the limit.
 */
public final class BatchCodec {

    private static final byte[] MAGIC = "JQS1".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = MAGIC.length + 1 + 4;

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
            case ZSTD -> Zstd.compress(raw, 3);
        };
        ByteBuffer out = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        out.put(MAGIC).put((byte) compression.ordinal()).putInt(raw.length).put(payload);
        return out.array();
    }

    private static byte[] rawBytes(RecordBatch batch) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + batch.records().size() * 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(batch.partition());
            out.writeInt(batch.partitionCount());
            out.writeInt(batch.records().size());
            for (MirrorRecord r : batch.records()) {
                out.writeLong(r.offset());
                out.writeLong(r.timestamp());
                writeBytes(out, r.key());
                writeBytes(out, r.value());
                out.writeInt(r.headers().size());
                for (MirrorRecord.Header h : r.headers()) {
                    writeBytes(out, h.name().getBytes(StandardCharsets.UTF_8));
                    writeBytes(out, h.value());
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
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
        if (rawLength < 12) {
            throw new BadBatchException("invalid batch length " + rawLength, false);
        }
        if (rawLength > maxRawBytes) {
            throw new BadBatchException("the batch is " + rawLength + " bytes decompressed, over the limit of " + maxRawBytes, true);
        }
        byte[] payload = new byte[frame.remaining()];
        frame.get(payload);
        byte[] raw;
        try {
            raw = switch (Compression.values()[codec]) {
                case NONE -> payload;
                case LZ4 -> LZ4Factory.fastestInstance().safeDecompressor().decompress(payload, rawLength);
                case ZSTD -> Zstd.decompress(payload, rawLength);
            };
        } catch (RuntimeException e) {
            throw new BadBatchException("the batch does not decompress: " + e.getMessage(), false);
        }
        if (raw.length != rawLength) {
            throw new BadBatchException("the batch decompresses to " + raw.length + " bytes, not " + rawLength, false);
        }
        return parse(ByteBuffer.wrap(raw));
    }

    private static RecordBatch parse(ByteBuffer in) throws BadBatchException {
        try {
            int partition = in.getInt();
            int partitionCount = in.getInt();
            int count = in.getInt();
            if (partition < 0 || partitionCount <= partition || count <= 0 || count > in.remaining() / 24) {
                throw new BadBatchException("invalid batch header: partition " + partition + " of " + partitionCount
                        + ", " + count + " records", false);
            }
            List<MirrorRecord> records = new ArrayList<>(count);
            long previous = -1;
            for (int i = 0; i < count; i++) {
                long offset = in.getLong();
                if (offset <= previous) {
                    throw new BadBatchException("offsets must increase within a batch (" + offset + " after " + previous + ")", false);
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
            if (in.hasRemaining()) {
                throw new BadBatchException(in.remaining() + " bytes after the last record", false);
            }
            return new RecordBatch(partition, partitionCount, records);
        } catch (BufferUnderflowException e) {
            throw new BadBatchException("the batch ends in the middle of a record", false);
        }
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
