package dev.junction.glue.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames to and from bytes: a type byte, a u16 length, the body. Strings are a u16 length and UTF-8. Every length
 * read is checked against the bytes left before anything is read or allocated.
 */
final class FrameCodec {

    static final int FRAME_HEADER = 3;
    static final byte ANNOUNCE = 1;
    static final byte DATA = 2;
    static final byte ACK = 3;
    static final byte SKIP = 4;
    /** Longest topic, type or endpoint name, in UTF-8 bytes. */
    static final int MAX_STRING_BYTES = 1024;
    /** Most ack ranges in one frame. */
    static final int MAX_ACK_RANGES = 255;

    private FrameCodec() {
    }

    static int stringLength(String s) {
        return 2 + utf8(s).length;
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("glue names are at most " + MAX_STRING_BYTES + " bytes: " + s.substring(0, 40) + "...");
        }
        return b;
    }

    static void write(Frame frame, ByteBuffer out) {
        int bodyLength = frame.encodedLength() - FRAME_HEADER;
        if (bodyLength > 0xFFFF) {
            throw new IllegalArgumentException("a glue frame is at most 65535 bytes; fragment the message first");
        }
        if (frame instanceof Frame.Announce a) {
            out.put(ANNOUNCE).putShort((short) bodyLength);
            out.putLong(a.instance()).putInt(a.endpointId());
            putString(out, a.endpointName());
            out.put((byte) a.dataAddress().length).put(a.dataAddress());
            out.putShort((short) a.dataPort()).putInt(a.rateMillis()).put((byte) a.timeoutMultiplier());
            out.putShort((short) a.subscriptions().size());
            for (Frame.Subscription s : a.subscriptions()) {
                putString(out, s.topic());
                putString(out, s.type());
            }
        } else if (frame instanceof Frame.Data d) {
            out.put(DATA).putShort((short) bodyLength);
            out.putLong(d.sequence()).putLong(d.messageId()).putInt(d.fragmentIndex()).putInt(d.fragmentCount())
                    .putLong(d.expiresAt());
            putString(out, d.topic());
            putString(out, d.type());
            out.put(d.payload());
        } else if (frame instanceof Frame.Ack a) {
            out.put(ACK).putShort((short) bodyLength);
            out.putLong(a.cumulative()).put((byte) (a.ranges().length / 2));
            for (long r : a.ranges()) {
                out.putLong(r);
            }
        } else if (frame instanceof Frame.Skip k) {
            out.put(SKIP).putShort((short) bodyLength).putLong(k.through());
        }
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] b = utf8(s);
        out.putShort((short) b.length).put(b);
    }

    /** Reads frames until {@code in} has no bytes left; an unknown frame type is skipped (a later version's). */
    static List<Frame> readAll(ByteBuffer in) throws BadDatagramException {
        List<Frame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            need(in, FRAME_HEADER, "frame header");
            byte type = in.get();
            int length = Short.toUnsignedInt(in.getShort());
            need(in, length, "frame body");
            ByteBuffer body = in.slice(in.position(), length);
            in.position(in.position() + length);
            switch (type) {
                case ANNOUNCE -> frames.add(announce(body));
                case DATA -> frames.add(data(body));
                case ACK -> frames.add(ack(body));
                case SKIP -> frames.add(skip(body));
                default -> { } // unknown to this version: skipped, the rest still read
            }
        }
        return frames;
    }

    private static Frame.Announce announce(ByteBuffer b) throws BadDatagramException {
        need(b, 12, "instance and endpoint id");
        long instance = b.getLong();
        int id = b.getInt();
        String name = string(b, "endpoint name");
        need(b, 1, "address length");
        int addressLength = Byte.toUnsignedInt(b.get());
        if (addressLength != 0 && addressLength != 4 && addressLength != 16) {
            throw malformed("an address of " + addressLength + " bytes");
        }
        need(b, addressLength, "address");
        byte[] address = new byte[addressLength];
        b.get(address);
        need(b, 2 + 4 + 1 + 2, "announcement");
        int port = Short.toUnsignedInt(b.getShort());
        int rate = b.getInt();
        int multiplier = Byte.toUnsignedInt(b.get());
        if (rate <= 0 || multiplier == 0) {
            throw malformed("a discovery rate of " + rate + " ms x " + multiplier);
        }
        int count = Short.toUnsignedInt(b.getShort());
        // Each subscription takes at least 4 bytes: a count beyond what is left is refused before any list grows.
        if (count * 4L > b.remaining()) {
            throw malformed(count + " subscriptions in " + b.remaining() + " bytes");
        }
        List<Frame.Subscription> subscriptions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            subscriptions.add(new Frame.Subscription(string(b, "topic"), string(b, "type")));
        }
        noneLeft(b, "announcement");
        return new Frame.Announce(instance, id, name, address, port, rate, multiplier, subscriptions);
    }

    private static Frame.Data data(ByteBuffer b) throws BadDatagramException {
        need(b, 8 + 8 + 4 + 4 + 8, "data header");
        long sequence = b.getLong();
        long messageId = b.getLong();
        int index = b.getInt();
        int count = b.getInt();
        long expiresAt = b.getLong();
        if (sequence < 0 || count <= 0 || index < 0 || index >= count) {
            throw malformed("fragment " + index + " of " + count + " at sequence " + sequence);
        }
        String topic = string(b, "topic");
        String type = string(b, "type");
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new Frame.Data(sequence, messageId, index, count, expiresAt, topic, type, payload);
    }

    private static Frame.Ack ack(ByteBuffer b) throws BadDatagramException {
        need(b, 9, "ack");
        long cumulative = b.getLong();
        int pairs = Byte.toUnsignedInt(b.get());
        need(b, pairs * 16, "ack ranges");
        long[] ranges = new long[pairs * 2];
        long previous = cumulative;
        for (int i = 0; i < ranges.length; i += 2) {
            ranges[i] = b.getLong();
            ranges[i + 1] = b.getLong();
            // Ranges lie above the cumulative point, ascending and apart: anything else is not an ack of ours.
            if (ranges[i] <= previous + 1 || ranges[i + 1] < ranges[i]) {
                throw malformed("ack range " + ranges[i] + ".." + ranges[i + 1] + " after " + previous);
            }
            previous = ranges[i + 1];
        }
        noneLeft(b, "ack");
        return new Frame.Ack(cumulative, ranges);
    }

    private static Frame.Skip skip(ByteBuffer b) throws BadDatagramException {
        need(b, 8, "skip");
        long through = b.getLong();
        noneLeft(b, "skip");
        if (through < 0) {
            throw malformed("skip to " + through);
        }
        return new Frame.Skip(through);
    }

    private static String string(ByteBuffer b, String what) throws BadDatagramException {
        need(b, 2, what + " length");
        int length = Short.toUnsignedInt(b.getShort());
        if (length > MAX_STRING_BYTES) {
            throw malformed(what + " of " + length + " bytes");
        }
        need(b, length, what);
        byte[] bytes = new byte[length]; // the buffer may be direct (read in place from the socket)
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void need(ByteBuffer b, int bytes, String what) throws BadDatagramException {
        if (bytes < 0 || b.remaining() < bytes) {
            throw malformed(what + " needs " + bytes + " bytes, " + b.remaining() + " left");
        }
    }

    private static void noneLeft(ByteBuffer b, String what) throws BadDatagramException {
        if (b.hasRemaining()) {
            throw malformed(b.remaining() + " bytes past the end of the " + what);
        }
    }

    private static BadDatagramException malformed(String detail) {
        return new BadDatagramException(DropReason.MALFORMED, detail);
    }
}
