package dev.junction.glue.transport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.junction.glue.wire.Frame;

/**
 * The sending side of one stream: frames not yet acknowledged, in sequence order, at most {@code capacity}. A frame
 * is due when it was never sent, or its resend timeout passed: the smoothed round trip x 2 (at least
 * {@code minTimeoutMillis}), doubled per attempt up to 8 times. A frame past its expiry is dropped unacknowledged,
 * and the stream's skip point moves past it (the receiver is told with a SKIP frame). At most {@code maxInFlight}
 * frames are out unacknowledged; the rest wait. Thread-safe.
 */
public final class SendStream {

    private static final int MAX_BACKOFF_DOUBLINGS = 8;

    /** A frame and when it went out. */
    private static final class Pending {
        final Frame.Data frame;
        long lastSentAt = -1;
        int attempts;

        Pending(Frame.Data frame) {
            this.frame = frame;
        }
    }

    private final int capacity;
    /** Frames sent and not yet acknowledged at most: a burst of a whole buffer would overflow the peer's socket. */
    private final int maxInFlight;
    private final long minTimeoutMillis;
    private final TreeMap<Long, Pending> unacked = new TreeMap<>();
    private long nextSequence;
    /** Every sequence up to here is done: acknowledged, or expired and to be skipped. */
    private long skipThrough = -1;
    private boolean skipToSend;
    private double smoothedRttMillis = -1;
    private long resends;
    private long expired;

    public SendStream(int capacity, int maxInFlight, long minTimeoutMillis) {
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.minTimeoutMillis = minTimeoutMillis;
    }

    /**
     * Queues a message fragment (its sequence is given here); false when the stream holds {@code capacity} frames
     * unacknowledged already: the peer is slow or gone, and the caller decides whether to wait.
     */
    public synchronized boolean offer(long messageId, int fragmentIndex, int fragmentCount, long expiresAt, String topic,
            String type, byte[] payload) {
        if (unacked.size() >= capacity) {
            return false;
        }
        long sequence = nextSequence++;
        unacked.put(sequence, new Pending(new Frame.Data(sequence, messageId, fragmentIndex, fragmentCount, expiresAt, topic, type, payload)));
        return true;
    }

    /** Room for this many more frames. */
    public synchronized int room() {
        return capacity - unacked.size();
    }

    public synchronized int unacknowledged() {
        return unacked.size();
    }

    /** The peer acknowledged: everything up to {@code ack.cumulative()}, and each of its ranges. */
    public synchronized void acknowledged(Frame.Ack ack, long now) {
        for (Iterator<Map.Entry<Long, Pending>> it = unacked.headMap(ack.cumulative(), true).entrySet().iterator(); it.hasNext(); ) {
            measure(it.next().getValue(), now);
            it.remove();
        }
        long[] ranges = ack.ranges();
        for (int i = 0; i < ranges.length; i += 2) {
            Map<Long, Pending> acked = unacked.subMap(ranges[i], true, ranges[i + 1], true);
            acked.values().forEach(p -> measure(p, now));
            acked.clear();
        }
        if (ack.cumulative() >= skipThrough) {
            skipToSend = false; // the peer is past the skip point already
        }
    }

    /** Round trips of frames acknowledged after their first and only sending (Karn: resent ones say nothing). */
    private void measure(Pending p, long now) {
        if (p.attempts == 1 && p.lastSentAt >= 0) {
            double sample = now - p.lastSentAt;
            smoothedRttMillis = smoothedRttMillis < 0 ? sample : smoothedRttMillis * 0.875 + sample * 0.125;
        }
    }

    private long timeoutMillis(int attempts) {
        long base = Math.max(minTimeoutMillis, smoothedRttMillis < 0 ? minTimeoutMillis * 4 : (long) (smoothedRttMillis * 2));
        return base << Math.min(MAX_BACKOFF_DOUBLINGS, Math.max(0, attempts - 1));
    }

    /**
     * The frames to send now, oldest first, at most {@code max}, marked as sent at {@code now}; expired ones are
     * dropped instead. {@link #skip()} tells whether a SKIP frame must go too.
     */
    public synchronized List<Frame.Data> due(long now, int max) {
        List<Frame.Data> due = new ArrayList<>();
        int inFlight = 0;
        for (Pending p : unacked.values()) {
            inFlight += p.lastSentAt >= 0 ? 1 : 0;
        }
        for (Iterator<Pending> it = unacked.values().iterator(); it.hasNext() && due.size() < max; ) {
            Pending p = it.next();
            if (p.frame.expiresAt() != 0 && p.frame.expiresAt() < now) {
                it.remove();
                expired++;
                inFlight -= p.lastSentAt >= 0 ? 1 : 0;
                continue;
            }
            boolean firstTime = p.lastSentAt < 0;
            if (firstTime && inFlight >= maxInFlight) {
                continue; // the window is full: new frames wait for acknowledgements (expired ones still go)
            }
            if (firstTime || now - p.lastSentAt >= timeoutMillis(p.attempts)) {
                inFlight += firstTime ? 1 : 0;
                if (p.attempts > 0) {
                    resends++;
                }
                p.attempts++;
                p.lastSentAt = now;
                due.add(p.frame);
            }
        }
        long doneThrough = unacked.isEmpty() ? nextSequence - 1 : unacked.firstKey() - 1;
        if (doneThrough > skipThrough) {
            skipThrough = doneThrough;
            skipToSend = expired > 0;
        }
        return due;
    }

    /**
     * The sequence the receiver may skip to (everything up to it acknowledged or expired), when expired frames left
     * a gap it would otherwise wait on for ever; -1 when none is needed. Sent with every flush until acknowledged.
     */
    public synchronized long skip() {
        return skipToSend ? skipThrough : -1;
    }

    public synchronized long resends() {
        return resends;
    }

    public synchronized long expired() {
        return expired;
    }
}
