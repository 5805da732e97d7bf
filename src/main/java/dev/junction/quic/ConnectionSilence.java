package dev.junction.quic;

/**
 * Tells when a QUIC connection has gone silent: it keeps sending (its requests, quiche's loss probes) and has heard
 * nothing back for four round trips, at least one second and at most three (quiche's round trip grows with the
 * queue in front of a slow link, but a peer that receives anything acknowledges it at once, so three seconds
 * without one is a dead link). Nor is it a slow server: a server still working on a request sends nothing, but
 * then neither does the client, whose data has been acknowledged. quiche
 * itself would wait out its exponentially backed-off probes (the next one ~30 s after a 30 s outage), so the client
 * replaces such a connection, and a new handshake is tried every few seconds until the link is back.
 */
final class ConnectionSilence {

    static final long MIN_SILENT_MS = 1000;
    static final long MAX_SILENT_MS = 3000;
    static final int ROUND_TRIPS = 4;

    private long heard = -1;
    private long quietSinceMs;
    private long sentWhenQuiet;

    /**
     * One look at the connection's packet counts. {@code awaiting}: requests wait for answers on it (an idle
     * connection is never silent). True once it sent since it last heard anything, that long ago.
     */
    synchronized boolean silent(long received, long sent, long roundTripNanos, boolean awaiting, long nowMs) {
        if (received != heard || !awaiting) {
            heard = received;
            quietSinceMs = nowMs;
            sentWhenQuiet = sent;
            return false;
        }
        long silentMs = Math.min(MAX_SILENT_MS, Math.max(MIN_SILENT_MS, ROUND_TRIPS * roundTripNanos / 1_000_000));
        return sent > sentWhenQuiet && nowMs - quietSinceMs >= silentMs;
    }
}
