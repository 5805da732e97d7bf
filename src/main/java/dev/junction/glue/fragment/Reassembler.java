package dev.junction.glue.fragment;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.junction.glue.wire.Frame;

/**
 * Puts messages together from their fragments, per sending instance and message id. A set incomplete for longer
 * than {@code timeoutMillis} is dropped; so is the oldest set when the bytes held would pass {@code maxHeldBytes},
 * and a message that would be larger than {@code maxMessageBytes}. Thread-safe.
 */
public final class Reassembler {

    /** Fragments other than a set's last are at least this big (senders cut 1,300 bytes or more): bounds a set's part count. */
    public static final int MIN_FRAGMENT_BYTES = 256;

    /** A message whole again. */
    public record Message(long sender, Frame.Data first, byte[] payload) {
    }

    private record Key(long sender, long messageId) {
    }

    /** The fragments of one message so far. */
    private static final class Partial {
        final Frame.Data first;
        final byte[][] parts;
        final long startedAt;
        int received;
        long payloadBytes;
        /** What it holds in memory: its payload and its table of parts. */
        long bytes;

        Partial(Frame.Data fragment, long now) {
            this.first = fragment;
            this.parts = new byte[fragment.fragmentCount()][];
            this.startedAt = now;
            this.bytes = 8L * parts.length;
        }
    }

    private final int maxFragmentBytes;
    private final long maxMessageBytes;
    private final long maxHeldBytes;
    private final long timeoutMillis;
    /** In arrival order: the first is the oldest. */
    private final Map<Key, Partial> partials = new LinkedHashMap<>();
    private long heldBytes;
    private long dropped;

    public Reassembler(int maxFragmentBytes, long maxMessageBytes, long maxHeldBytes, long timeoutMillis) {
        this.maxFragmentBytes = maxFragmentBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.maxHeldBytes = maxHeldBytes;
        this.timeoutMillis = timeoutMillis;
    }

    /** Takes a fragment; returns the message when it was the last one missing, else null. */
    public synchronized Message accept(long sender, Frame.Data fragment, long now) {
        if (fragment.fragmentCount() == 1) {
            return new Message(sender, fragment, fragment.payload());
        }
        if (fragment.payload().length > maxFragmentBytes || fragment.fragmentCount() > maxMessageBytes / MIN_FRAGMENT_BYTES) {
            dropped++;
            return null; // larger than any message this endpoint takes: never buffered
        }
        Key key = new Key(sender, fragment.messageId());
        Partial p = partials.get(key);
        if (p == null) {
            p = new Partial(fragment, now);
            partials.put(key, p);
            heldBytes += p.bytes;
        } else if (p.parts.length != fragment.fragmentCount()) {
            return null; // a fragment that disagrees with the set's count: not of this message
        }
        if (p.parts[fragment.fragmentIndex()] != null) {
            return null;
        }
        if (p.payloadBytes + fragment.payload().length > maxMessageBytes) {
            partials.remove(key);
            heldBytes -= p.bytes;
            dropped++;
            return null; // its fragments add up to more than any message this endpoint takes
        }
        p.parts[fragment.fragmentIndex()] = fragment.payload();
        p.received++;
        p.payloadBytes += fragment.payload().length;
        p.bytes += fragment.payload().length;
        heldBytes += fragment.payload().length;
        if (p.received < p.parts.length) {
            shed();
            return null;
        }
        partials.remove(key);
        heldBytes -= p.bytes;
        ByteArrayOutputStream whole = new ByteArrayOutputStream((int) p.payloadBytes);
        for (byte[] part : p.parts) {
            whole.writeBytes(part);
        }
        return new Message(sender, p.first, whole.toByteArray());
    }

    /** Drops the oldest sets while more than maxHeldBytes are held. */
    private void shed() {
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext() && heldBytes > maxHeldBytes; ) {
            Partial p = it.next();
            it.remove();
            heldBytes -= p.bytes;
            dropped++;
        }
    }

    /** Drops sets incomplete for longer than the timeout; returns how many. */
    public synchronized int expire(long now) {
        int n = 0;
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext(); ) {
            Partial p = it.next();
            if (now - p.startedAt > timeoutMillis) {
                it.remove();
                heldBytes -= p.bytes;
                dropped++;
                n++;
            }
        }
        return n;
    }

    /** Sets not complete yet. */
    public synchronized int incomplete() {
        return partials.size();
    }

    /** Bytes held for incomplete sets. */
    public synchronized long heldBytes() {
        return heldBytes;
    }

    /** Sets dropped incomplete (timeout, memory bound, too large). */
    public synchronized long dropped() {
        return dropped;
    }
}
