package dev.junction.glue.wire;

/**
 * The packet numbers seen from one sender, as IPsec's anti-replay window: the highest one, and a bitmap of the 64
 * below it. A number seen before, or older than the window, is a replay. Used on the receiving thread only.
 */
public final class ReplayWindow {

    private static final int SIZE = 64;
    private long highest = -1;
    private long seen;

    /** Whether {@code packetNumber} is new; if so it is marked seen. Call only for datagrams whose MAC checked out. */
    public boolean accept(long packetNumber) {
        if (packetNumber < 0) {
            return false;
        }
        if (packetNumber > highest) {
            long shift = packetNumber - highest;
            seen = shift >= SIZE ? 0 : seen << shift;
            seen |= 1;
            highest = packetNumber;
            return true;
        }
        long age = highest - packetNumber;
        if (age >= SIZE) {
            return false;
        }
        long bit = 1L << age;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }
}
