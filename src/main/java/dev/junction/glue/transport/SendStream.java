package dev.junction.glue.transport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.junction.glue.wire.Frame;

/**
 * The sending side of one stream: frames not yet acknowledged, in sequence order, at most {@code capacity}. A frame
 * is due when it was never sent, or its resend timeout passed: the larger of twice the smoothed round trip and the
 * smoothed round trip plus four times its variation (at least {@code minTimeoutMillis}), doubled per attempt up to 5 times. A frame past its expiry is dropped unacknowledged,
 * and the stream's skip point moves past it (the receiver is told with a SKIP frame). At most the congestion window
 * (Reno's AIMD: slow start from 256 frames, halved when frames time out down to 256, never above {@code maxInFlight}) and
 * {@code maxInFlightBytes} of payload are out unacknowledged; the rest wait. Thread-safe.
 * <p>
 * Sent frames are only looked at again when the earliest resend or expiry among them is due, so a flush costs
 * what it sends, not what is buffered.
 */
public final class SendStream {

    private static final int MAX_BACKOFF_DOUBLINGS = 5;
    private static final int MAX_RESENDS = 64;
    private static final int INITIAL_WINDOW = 256;
    private static final int MIN_WINDOW = 256;

    /** A frame and when it went out. */
    private static final class Pending {
        final Frame.Data frame;
        long lastSentAt = -1;
        int attempts;

        Pending(Frame.Data frame) {
            this.frame = frame;
        }

        boolean sent() {
            return lastSentAt >= 0;
        }
    }

    private final int capacity;
    /** Frames sent and not yet acknowledged at most: a burst of a whole buffer would overflow the peer's socket. */
    private final int maxInFlight;
    private final long maxInFlightBytes;
    private final long minTimeoutMillis;
    private final TreeMap<Long, Pending> unacked = new TreeMap<>();
    private long nextSequence;
    /** The first sequence never sent: frames from here on are new. */
    private long firstUnsent;
    private int inFlight;
    private long inFlightBytes;
    /** When a sent frame is next due for a resend or expires: until then only new frames are looked at. */
    private long nextCheckAt = Long.MAX_VALUE;
    /** Every sequence up to here is done: acknowledged, or expired and to be skipped. */
    private long skipThrough = -1;
    private boolean skipToSend;
    private double smoothedRttMillis = -1;
    private double rttVariationMillis;
    /** Congestion window in frames (AIMD, as TCP Reno): grows with acknowledgements, halves when frames time out. */
    private double window = INITIAL_WINDOW;
    private double slowStartThreshold = Double.MAX_VALUE;
    private long lastReductionAt = Long.MIN_VALUE;
    private long resends;
    private long expired;

    public SendStream(int capacity, int maxInFlight, long maxInFlightBytes, long minTimeoutMillis) {
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.maxInFlightBytes = maxInFlightBytes;
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

    /** True when frames wait to go out for the first time (and the window lets some of them). */
    public synchronized boolean hasNew() {
        return firstUnsent < nextSequence;
    }

    /** The peer acknowledged: everything up to {@code ack.cumulative()}, and each of its ranges. */
    public synchronized void acknowledged(Frame.Ack ack, long now) {
        for (Iterator<Map.Entry<Long, Pending>> it = unacked.headMap(ack.cumulative(), true).entrySet().iterator(); it.hasNext(); ) {
            done(it.next().getValue(), now);
            it.remove();
        }
        long[] ranges = ack.ranges();
        for (int i = 0; i < ranges.length; i += 2) {
            Map<Long, Pending> acked = unacked.subMap(ranges[i], true, ranges[i + 1], true);
            acked.values().forEach(p -> done(p, now));
            acked.clear();
        }
        // A receiver behind the point this side is done with lost frames to expiry, or forgot this stream (it
        // expired this endpoint, or restarted its side): a SKIP tells it where to go on from.
        skipToSend = ack.cumulative() < skipThrough;
    }

    /** An acknowledged frame leaves the window; a round trip is measured from it if it went only once (Karn's rule). */
    private void done(Pending p, long now) {
        if (!p.sent()) {
            return; // acknowledged before it was sent (a peer's bad ack): nothing was counted for it
        }
        inFlight--;
        inFlightBytes -= p.frame.payload().length;
        window = Math.min(maxInFlight, window < slowStartThreshold ? window + 1 : window + 1 / window);
        if (p.attempts == 1) { // as TCP's RTO (RFC 6298): the smoothed round trip and its variation
            double sample = now - p.lastSentAt;
            if (smoothedRttMillis < 0) {
                smoothedRttMillis = sample;
                rttVariationMillis = sample / 2;
            } else {
                rttVariationMillis = rttVariationMillis * 0.75 + Math.abs(smoothedRttMillis - sample) * 0.25;
                smoothedRttMillis = smoothedRttMillis * 0.875 + sample * 0.125;
            }
        }
    }

    private long timeoutMillis(int attempts) {
        long base = Math.max(minTimeoutMillis, smoothedRttMillis < 0 ? minTimeoutMillis * 4
                : (long) Math.max(smoothedRttMillis * 2, smoothedRttMillis + 4 * rttVariationMillis));
        return base << Math.min(MAX_BACKOFF_DOUBLINGS, Math.max(0, attempts - 1));
    }

    /**
     * The frames to send now, oldest first, marked as sent at {@code now}; expired ones are dropped instead.
     * {@link #skip()} tells whether a SKIP frame must go too.
     */
    public synchronized List<Frame.Data> due(long now) {
        List<Frame.Data> due = new ArrayList<>();
        if (now >= nextCheckAt) {
            resendOrExpire(now, due);
        }
        for (Iterator<Pending> it = unacked.tailMap(firstUnsent, true).values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (expiredAt(p, now)) {
                it.remove();
                firstUnsent = p.frame.sequence() + 1;
                continue;
            }
            if (inFlight >= Math.min(maxInFlight, (int) window)
                    || (inFlight > 0 && inFlightBytes + p.frame.payload().length > maxInFlightBytes)) {
                break; // the window is full: new frames wait for acknowledgements
            }
            inFlight++;
            inFlightBytes += p.frame.payload().length;
            firstUnsent = p.frame.sequence() + 1;
            sendNow(p, now, due);
        }
        long doneThrough = unacked.isEmpty() ? nextSequence - 1 : unacked.firstKey() - 1;
        if (doneThrough > skipThrough) {
            skipThrough = doneThrough;
            skipToSend = expired > 0;
        }
        return due;
    }

    /**
     * Looks at every sent frame: resends those whose timeout passed (the oldest, at most {@link #MAX_RESENDS} a
     * flush: a late round of acknowledgements must not turn into a whole window sent again), drops those expired.
     */
    private void resendOrExpire(long now, List<Frame.Data> due) {
        long next = Long.MAX_VALUE;
        int resent = 0;
        for (Iterator<Pending> it = unacked.headMap(firstUnsent, false).values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (expiredAt(p, now)) {
                it.remove();
                inFlight--;
                inFlightBytes -= p.frame.payload().length;
                continue;
            }
            if (now - p.lastSentAt >= timeoutMillis(p.attempts)) {
                if (resent == MAX_RESENDS) {
                    next = now + 1; // more are due: a flush a millisecond on goes on with them
                    continue;
                }
                if (resent == 0) {
                    congested(now);
                }
                resent++;
                resends++;
                sendNow(p, now, due);
            }
            next = Math.min(next, p.lastSentAt + timeoutMillis(p.attempts));
            if (p.frame.expiresAt() != 0) {
                next = Math.min(next, p.frame.expiresAt() + 1);
            }
        }
        nextCheckAt = next;
    }

    /** Frames timed out: the window halves, once per round trip at most (a loss, or a receiver that fell behind). */
    private void congested(long now) {
        double rtt = Math.max(minTimeoutMillis, smoothedRttMillis);
        if (now - lastReductionAt >= rtt) {
            slowStartThreshold = Math.max(MIN_WINDOW, window / 2);
            window = slowStartThreshold;
            lastReductionAt = now;
        }
    }

    private boolean expiredAt(Pending p, long now) {
        if (p.frame.expiresAt() != 0 && p.frame.expiresAt() < now) {
            expired++;
            return true;
        }
        return false;
    }

    private void sendNow(Pending p, long now, List<Frame.Data> due) {
        p.attempts++;
        p.lastSentAt = now;
        nextCheckAt = Math.min(nextCheckAt, now + timeoutMillis(p.attempts));
        if (p.frame.expiresAt() != 0) {
            nextCheckAt = Math.min(nextCheckAt, p.frame.expiresAt() + 1);
        }
        due.add(p.frame);
    }

    /** The peer is back after a partition: every frame it has not acknowledged goes again now, without backoff. */
    public synchronized void resume() {
        for (Pending p : unacked.headMap(firstUnsent, false).values()) {
            p.attempts = 0; // a round trip measured across the partition would say nothing
            p.lastSentAt = 0; // sent, long ago: due at once
        }
        nextCheckAt = Long.MIN_VALUE;
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
