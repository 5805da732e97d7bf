package dev.junction.glue.transport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.junction.glue.wire.Frame;

/**
 * The receiving side of one stream: delivers frames once each, in sequence order, holding at most {@code window}
 * that arrived ahead of a gap (later ones are dropped: the sender resends them). Thread-safe.
 */
public final class ReceiveStream {

    private static final int MAX_ACK_RANGES = 64;
    private static final int MAX_ACK_FRAMES = 8;

    private final int window;
    private final TreeMap<Long, Frame.Data> ahead = new TreeMap<>();
    /** The last sequence delivered (or skipped): the cumulative acknowledgement. */
    private long delivered = -1;
    private long duplicates;

    public ReceiveStream(int window) {
        this.window = window;
    }

    /** Takes a frame; returns the frames now deliverable, in order (none when it is a duplicate or ahead of a gap). */
    public synchronized List<Frame.Data> accept(Frame.Data frame) {
        long seq = frame.sequence();
        if (seq <= delivered || ahead.containsKey(seq)) {
            duplicates++;
            return List.of();
        }
        if (seq > delivered + window) {
            return List.of(); // beyond the buffer: not acknowledged, so it comes again
        }
        ahead.put(seq, frame);
        return drain();
    }

    /** The sender is done with everything up to {@code through}: what arrived of it is delivered, the gaps skipped. */
    public synchronized List<Frame.Data> skipTo(long through) {
        if (through <= delivered) {
            return List.of();
        }
        List<Frame.Data> out = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Frame.Data>> it = ahead.headMap(through, true).entrySet().iterator(); it.hasNext(); ) {
            out.add(it.next().getValue());
            it.remove();
        }
        delivered = through;
        out.addAll(drain());
        return out;
    }

    private List<Frame.Data> drain() {
        List<Frame.Data> out = new ArrayList<>();
        while (!ahead.isEmpty() && ahead.firstKey() == delivered + 1) {
            out.add(ahead.pollFirstEntry().getValue());
            delivered++;
        }
        return out;
    }

    /**
     * The acknowledgement of what arrived: cumulative, and the runs held above it, 64 runs per ACK frame and up to
     * 8 frames (a lossy link leaves more gaps among the frames in flight than one frame can describe; a frame held
     * but not acknowledged would be resent for nothing).
     */
    public synchronized List<Frame.Ack> acks() {
        List<Frame.Ack> acks = new ArrayList<>();
        List<Long> ranges = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long seq : ahead.keySet()) {
            if (start >= 0 && seq == end + 1) {
                end = seq;
                continue;
            }
            if (start >= 0) {
                ranges.add(start);
                ranges.add(end);
                if (ranges.size() / 2 == MAX_ACK_RANGES) {
                    acks.add(ack(ranges));
                    ranges.clear();
                    if (acks.size() == MAX_ACK_FRAMES) {
                        return acks;
                    }
                }
            }
            start = seq;
            end = seq;
        }
        if (start >= 0) {
            ranges.add(start);
            ranges.add(end);
        }
        if (!ranges.isEmpty() || acks.isEmpty()) {
            acks.add(ack(ranges));
        }
        return acks;
    }

    private Frame.Ack ack(List<Long> ranges) {
        return new Frame.Ack(delivered, ranges.stream().mapToLong(Long::longValue).toArray());
    }

    public synchronized long duplicates() {
        return duplicates;
    }
}
