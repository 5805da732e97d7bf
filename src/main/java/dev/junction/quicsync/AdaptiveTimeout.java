package dev.junction.quicsync;

/**
 * How long the sender waits for the receiver's answer to one batch. kwik can leave a request stream stalled without
 * failing it (its send scheduling can lose a wake-up), and then only giving up and sending again helps; a fixed
 * timeout long enough for a slow link would stall a fast one for that long. So the deadline follows the link, as
 * TCP's retransmission timeout does: several times the smoothed round trip of recent batches, never under a floor,
 * doubled for each failed attempt of the same batch (a slow link is never cut off for good), never over the cap.
 */
final class AdaptiveTimeout {

    private static final double SMOOTHING = 0.2;
    private static final int MULTIPLIER = 8;

    private final long floorMs;
    private final long capMs;
    private double smoothedMs = -1;

    AdaptiveTimeout(long floorMs, long capMs) {
        this.floorMs = floorMs;
        this.capMs = capMs;
    }

    /** The deadline for the given attempt (1 = first) of a batch. Before any answer: the cap. */
    synchronized long timeoutMs(int attempt) {
        if (smoothedMs < 0) {
            return capMs;
        }
        long base = Math.max(floorMs, (long) (MULTIPLIER * smoothedMs));
        long backedOff = base << Math.min(attempt - 1, 20);
        return Math.min(capMs, backedOff);
    }

    /** Records the round trip of a batch that was answered. */
    synchronized void answered(long roundTripMs) {
        smoothedMs = smoothedMs < 0 ? roundTripMs : (1 - SMOOTHING) * smoothedMs + SMOOTHING * roundTripMs;
    }
}
