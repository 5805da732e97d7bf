package dev.junction.glue.model;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): wall-clock milliseconds in the high 48 bits, a counter in the low
 * 16. Its timestamps never go backwards, follow the wall clock where they can, and are always later than every
 * timestamp this endpoint has seen, so a write made after seeing another one wins against it even when the two
 * endpoints' clocks disagree. Thread-safe.
 */
public final class HybridLogicalClock {

    private static final int COUNTER_BITS = 16;
    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;

    private final LongSupplier wallClock;
    private long millis;
    private long counter;

    public HybridLogicalClock() {
        this(System::currentTimeMillis);
    }

    public HybridLogicalClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    /** A timestamp for a write made now. */
    public synchronized long now() {
        long wall = wallClock.getAsLong();
        if (wall > millis) {
            millis = wall;
            counter = 0;
        } else {
            tick();
        }
        return pack();
    }

    /** Takes in a timestamp seen in another endpoint's write. */
    public synchronized void observe(long timestamp) {
        long wall = wallClock.getAsLong();
        long theirMillis = millisOf(timestamp);
        long theirCounter = timestamp & COUNTER_MASK;
        long top = Math.max(wall, Math.max(millis, theirMillis));
        if (top == millis && top == theirMillis) {
            counter = Math.max(counter, theirCounter);
            tick();
        } else if (top == millis) {
            tick();
        } else if (top == theirMillis) {
            millis = top;
            counter = theirCounter;
            tick();
        } else {
            millis = top;
            counter = 0;
        }
    }

    private void tick() {
        if (++counter > COUNTER_MASK) { // 65,536 writes in one millisecond: borrow the next millisecond
            millis++;
            counter = 0;
        }
    }

    private long pack() {
        return millis << COUNTER_BITS | counter;
    }

    /** The wall-clock part of a timestamp. */
    public static long millisOf(long timestamp) {
        return timestamp >>> COUNTER_BITS;
    }
}
