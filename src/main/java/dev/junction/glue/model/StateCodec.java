package dev.junction.glue.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * State writes as a glue message's payload: version (1 byte), count (4), then per entry the key (2-byte length,
 * UTF-8), timestamp (8), writer (8), and the value (4-byte length, -1 for a removal). Every length is checked
 * before it is used: a bad payload is an {@link IllegalArgumentException}, never a larger allocation.
 */
public final class StateCodec {

    private static final byte VERSION = 1;
    private static final int MAX_KEY_BYTES = 0xFFFF;

    private StateCodec() {
    }

    public static byte[] encode(List<StateEntry> writes) {
        int size = 5;
        List<byte[]> keys = new ArrayList<>(writes.size());
        for (StateEntry w : writes) {
            byte[] key = w.key().getBytes(StandardCharsets.UTF_8);
            if (key.length > MAX_KEY_BYTES) {
                throw new IllegalArgumentException("state keys are at most " + MAX_KEY_BYTES + " bytes of UTF-8, not " + key.length);
            }
            keys.add(key);
            size += 2 + key.length + 16 + 4 + (w.value() == null ? 0 : w.value().length);
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION).putInt(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            StateEntry w = writes.get(i);
            out.putShort((short) keys.get(i).length).put(keys.get(i)).putLong(w.timestamp()).putLong(w.writer());
            if (w.value() == null) {
                out.putInt(-1);
            } else {
                out.putInt(w.value().length).put(w.value());
            }
        }
        return out.array();
    }

    public static List<StateEntry> decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        need(in, 5);
        if (in.get() != VERSION) {
            throw new IllegalArgumentException("state payload of an unknown version " + payload[0]);
        }
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 22) {
            throw new IllegalArgumentException("state payload claims " + count + " entries in " + in.remaining() + " bytes");
        }
        List<StateEntry> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            need(in, 2);
            int keyLength = in.getShort() & 0xFFFF;
            need(in, keyLength + 20);
            byte[] key = new byte[keyLength];
            in.get(key);
            long timestamp = in.getLong();
            long writer = in.getLong();
            int valueLength = in.getInt();
            byte[] value = null;
            if (valueLength != -1) {
                if (valueLength < 0) {
                    throw new IllegalArgumentException("state value of length " + valueLength);
                }
                need(in, valueLength);
                value = new byte[valueLength];
                in.get(value);
            }
            writes.add(new StateEntry(new String(key, StandardCharsets.UTF_8), value, timestamp, writer));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the last state entry");
        }
        return writes;
    }

    private static void need(ByteBuffer in, int bytes) {
        if (in.remaining() < bytes) {
            throw new IllegalArgumentException("state payload truncated: " + bytes + " bytes needed, " + in.remaining() + " left");
        }
    }
}
