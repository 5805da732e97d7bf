package dev.junction.quicsync;

/**
 * How much the sender keeps in flight, following the link as BBR does: the bandwidth is the most confirmed in a
 * second, the round trip the fastest batch answered, both over the last ten seconds; their product is the link's
 * bandwidth x delay (BDP). The sender keeps {@value #GAIN} BDPs unconfirmed (a batch waits for loss recovery and for
 * its predecessor of the same partition, so its answer takes several round trips on a lossy link), in requests of
 * about a quarter of a BDP each. Never less than it starts with (the configured requests of {@code requestRecords},
 * four per connection), never more than {@value #MAX_REQUESTS} requests or {@value #MAX_REQUEST_BYTES} bytes a request.
 * <p>
 * On a short link the product is small and the floor applies; on a long one the window grows with what the link
 * delivers, as a window that was the bottleneck lets more through once it is larger.
 */
final class LinkWindow {

    /** BDPs kept in flight. */
    static final int GAIN = 4;
    /** Requests in flight at most: the receiver's route threads (64) must not all wait for predecessors. */
    static final int MAX_REQUESTS = 32;
    /** Wire bytes of one request at most. */
    static final long MAX_REQUEST_BYTES = 1024 * 1024;
    /** The link is measured per second (shorter: bursts of answers overstate it), over the last ten seconds. */
    private static final long BUCKET_MS = 1000;
    private static final int BUCKETS = 10;

    private final int minRequests;
    private final int minRequestRecords;
    private final int maxRequestRecords;
    /** Per bucket of the last ten seconds (index: bucket number mod BUCKETS): bytes confirmed, fastest answer, which bucket. */
    private final long[] confirmedBytes = new long[BUCKETS];
    private final long[] fastestMs = new long[BUCKETS];
    private final long[] bucket = new long[BUCKETS];
    private double wireBytesPerRecord = -1;
    private double wireBytesPerRequest = -1;

    /** {@code minRequests} in flight and {@code minRequestRecords} per request at least, as configured. */
    LinkWindow(int minRequests, int minRequestRecords, int maxRequestRecords) {
        this.minRequests = Math.max(1, minRequests);
        this.minRequestRecords = Math.max(1, minRequestRecords);
        this.maxRequestRecords = Math.max(this.minRequestRecords, maxRequestRecords);
        java.util.Arrays.fill(bucket, -1);
        java.util.Arrays.fill(fastestMs, Long.MAX_VALUE);
    }

    /** A batch of {@code records} records in {@code wireBytes} bytes was answered {@code roundTripMs} after it was sent. */
    synchronized void confirmed(int records, long wireBytes, long roundTripMs, long nowMs) {
        long b = nowMs / BUCKET_MS;
        int i = (int) (b % BUCKETS);
        if (bucket[i] != b) {
            bucket[i] = b;
            confirmedBytes[i] = 0;
            fastestMs[i] = Long.MAX_VALUE;
        }
        confirmedBytes[i] += wireBytes;
        fastestMs[i] = Math.min(fastestMs[i], Math.max(1, roundTripMs));
        wireBytesPerRecord = smooth(wireBytesPerRecord, (double) wireBytes / Math.max(1, records));
        wireBytesPerRequest = smooth(wireBytesPerRequest, wireBytes);
    }

    /** The link's bandwidth x round trip in bytes, or 0 before anything was confirmed. */
    synchronized double bdpBytes(long nowMs) {
        long now = nowMs / BUCKET_MS;
        long maxBytes = 0;
        long minMs = Long.MAX_VALUE;
        for (int i = 0; i < BUCKETS; i++) {
            // Whole buckets only for the bandwidth: the current one is still filling.
            if (bucket[i] < 0) {
                continue; // never used
            }
            if (bucket[i] >= now - BUCKETS && bucket[i] < now) {
                maxBytes = Math.max(maxBytes, confirmedBytes[i]);
            }
            if (bucket[i] >= now - BUCKETS) {
                minMs = Math.min(minMs, fastestMs[i]);
            }
        }
        double bytesPerSecond = maxBytes * (1000.0 / BUCKET_MS);
        return minMs == Long.MAX_VALUE ? 0 : bytesPerSecond * (minMs / 1000.0);
    }

    /** Requests to keep unconfirmed. */
    synchronized int requestsInFlight(long nowMs) {
        double bdp = bdpBytes(nowMs);
        if (bdp == 0 || wireBytesPerRequest <= 0) {
            return minRequests;
        }
        long wanted = (long) Math.ceil(GAIN * bdp / wireBytesPerRequest);
        return (int) Math.max(minRequests, Math.min(MAX_REQUESTS, wanted));
    }

    /** Records per request. */
    synchronized int requestRecords(long nowMs) {
        double bdp = bdpBytes(nowMs);
        if (bdp == 0 || wireBytesPerRecord <= 0) {
            return minRequestRecords;
        }
        double bytes = Math.min(MAX_REQUEST_BYTES, bdp / 4);
        long wanted = (long) (bytes / wireBytesPerRecord);
        return (int) Math.max(minRequestRecords, Math.min(maxRequestRecords, wanted));
    }

    private static double smooth(double average, double sample) {
        return average < 0 ? sample : 0.8 * average + 0.2 * sample;
    }
}
