package dev.junction.fanout;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key ordering: while a record of a key is out at a client, later records of that key wait here, in offset
 * order, and go out one by one as the one before them finishes. Records without a key are never held.
 */
final class KeyOrder<T> {

    private final Map<ByteBuffer, ArrayDeque<T>> busy = new HashMap<>();

    /** True when the record may go out now; false when it waits behind an earlier record of its key. */
    synchronized boolean admit(byte[] key, T record) {
        if (key == null) {
            return true;
        }
        ArrayDeque<T> queue = busy.get(ByteBuffer.wrap(key));
        if (queue == null) {
            busy.put(ByteBuffer.wrap(key), new ArrayDeque<>());
            return true;
        }
        queue.add(record);
        return false;
    }

    /** The record of {@code key} finished: the next one of that key to send, or null. */
    synchronized T finished(byte[] key) {
        if (key == null) {
            return null;
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        ArrayDeque<T> queue = busy.get(k);
        if (queue == null) {
            return null;
        }
        T next = queue.poll();
        if (next == null) {
            busy.remove(k);
        }
        return next;
    }

    synchronized void clear() {
        busy.clear();
    }
}
