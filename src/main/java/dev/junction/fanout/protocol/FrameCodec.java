package dev.junction.fanout.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Writes and reads the body of a frame (the type byte and what follows; the length prefix is the
 * encoder's and the decoder's job). Every length read from the wire is checked against the bytes left before
 * anything is allocated.
 */
public final class FrameCodec {

    /** The protocol version a HELLO carries. */
    public static final int VERSION = 1;
    /** A null key or value travels as this length. */
    private static final int NULL = -1;
    private static final int MAX_HEADERS = 1024;

    private FrameCodec() {
    }

    public static void write(Frame frame, ByteBuf out) {
        // Java 17 has no pattern matching in switch: one instanceof per frame type.
        if (frame instanceof Frame.Deliver d) {
            out.writeByte(FrameType.DELIVER);
            out.writeLong(d.id());
            writeString(out, d.topic());
            out.writeInt(d.partition());
            out.writeLong(d.offset());
            out.writeInt(d.attempt());
            writeBytes(out, d.key());
            out.writeShort(d.headers().size());
            for (Frame.Header header : d.headers()) {
                writeString(out, header.name());
                writeBytes(out, header.value());
            }
            writeBytes(out, d.value());
        } else if (frame instanceof Frame.Ack a) {
            out.writeByte(FrameType.ACK);
            out.writeLong(a.id());
        } else if (frame instanceof Frame.Nack n) {
            out.writeByte(FrameType.NACK);
            out.writeLong(n.id());
            writeString(out, n.reason());
        } else if (frame instanceof Frame.Hello h) {
            out.writeByte(FrameType.HELLO);
            out.writeByte(h.version());
            writeString(out, h.clientName());
            writeString(out, h.group());
            out.writeInt(h.maxInFlight());
            writeString(out, h.token());
        } else if (frame instanceof Frame.Welcome w) {
            out.writeByte(FrameType.WELCOME);
            writeString(out, w.serverName());
            out.writeInt(w.heartbeatMs());
            out.writeInt(w.ackTimeoutMs());
        } else if (frame instanceof Frame.Redirect r) {
            out.writeByte(FrameType.REDIRECT);
            writeString(out, r.leader());
        } else if (frame instanceof Frame.Heartbeat) {
            out.writeByte(FrameType.HEARTBEAT);
        } else if (frame instanceof Frame.Close c) {
            out.writeByte(FrameType.CLOSE);
            writeString(out, c.reason());
        } else {
            throw new IllegalArgumentException("not a fanout frame: " + frame);
        }
    }

    /**
     * Bytes enough for the body of {@code frame} (at most 3 bytes a string character), so that the encoder
     * allocates one buffer per frame and never grows it: a DELIVER of a 200-byte record is just over Netty's default.
     */
    public static int sizeHint(Frame frame) {
        if (frame instanceof Frame.Deliver d) {
            int size = 48 + 3 * d.topic().length() + length(d.key()) + length(d.value());
            for (Frame.Header header : d.headers()) {
                size += 6 + 3 * header.name().length() + length(header.value());
            }
            return size;
        }
        return frame instanceof Frame.Ack ? 16 : 256;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** Reads one frame that fills {@code in} exactly; throws {@link BadFrameException} for anything else. */
    public static Frame read(ByteBuf in) {
        if (!in.isReadable()) {
            throw new BadFrameException("empty frame");
        }
        byte type = in.readByte();
        Frame frame = switch (type) {
            case FrameType.HELLO -> new Frame.Hello(readUnsignedByte(in), readString(in), readString(in), readInt(in),
                    readString(in));
            case FrameType.WELCOME -> new Frame.Welcome(readString(in), readInt(in), readInt(in));
            case FrameType.REDIRECT -> new Frame.Redirect(readString(in));
            case FrameType.DELIVER -> readDeliver(in);
            case FrameType.ACK -> new Frame.Ack(readLong(in));
            case FrameType.NACK -> new Frame.Nack(readLong(in), readString(in));
            case FrameType.HEARTBEAT -> new Frame.Heartbeat();
            case FrameType.CLOSE -> new Frame.Close(readString(in));
            default -> throw new BadFrameException("unknown frame type " + type);
        };
        if (in.isReadable()) {
            throw new BadFrameException(in.readableBytes() + " bytes after the end of a frame of type " + type);
        }
        return frame;
    }

    private static Frame.Deliver readDeliver(ByteBuf in) {
        long id = readLong(in);
        String topic = readString(in);
        int partition = readInt(in);
        long offset = readLong(in);
        int attempt = readInt(in);
        byte[] key = readBytes(in);
        need(in, 2, "header count");
        int count = in.readUnsignedShort();
        if (count > MAX_HEADERS) {
            throw new BadFrameException(count + " headers, more than " + MAX_HEADERS);
        }
        List<Frame.Header> headers = new ArrayList<>(Math.min(count, in.readableBytes() / 6));
        for (int i = 0; i < count; i++) {
            headers.add(new Frame.Header(readString(in), readBytes(in)));
        }
        return new Frame.Deliver(id, topic, partition, offset, attempt, key, headers, readBytes(in));
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a string of " + bytes.length + " bytes does not fit a frame field");
        }
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeBytes(ByteBuf out, byte[] bytes) {
        if (bytes == null) {
            out.writeInt(NULL);
        } else {
            out.writeInt(bytes.length);
            out.writeBytes(bytes);
        }
    }

    private static String readString(ByteBuf in) {
        need(in, 2, "string length");
        int length = in.readUnsignedShort();
        need(in, length, "string");
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private static byte[] readBytes(ByteBuf in) {
        int length = readInt(in);
        if (length == NULL) {
            return null;
        }
        if (length < 0) {
            throw new BadFrameException("negative length " + length);
        }
        need(in, length, "bytes");
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    private static int readUnsignedByte(ByteBuf in) {
        need(in, 1, "byte");
        return in.readUnsignedByte();
    }

    private static int readInt(ByteBuf in) {
        need(in, 4, "int");
        return in.readInt();
    }

    private static long readLong(ByteBuf in) {
        need(in, 8, "long");
        return in.readLong();
    }

    private static void need(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new BadFrameException("truncated frame: " + what + " needs " + bytes + " bytes, "
                    + in.readableBytes() + " left");
        }
    }
}
