package dev.junction.support;

/**
 * The back-off of Junction's retry loops: the wait after failed attempt N is {@code initialMs × 2^(N-1)}, capped at
 * {@code maxMs}.
 * <p>
 * It only computes the delay; the caller sleeps. It holds no attempt count, so one instance can be shared by
 * several threads (quic-sync posts batches from several at once). To reset, the caller counts from 1 again, e.g.
 * after a success.
 * <p>
 * Not Camel's {@code BackOff}: that class only holds settings. The delays are computed by {@code BackOffTimerTask},
 * which needs a timer and a scheduler, keeps its own state, and can multiply once past the maximum. The
 * {@code Tasks} budgets in camel-support only come with a fixed {@code BackOffStrategy}.
 * <p>
 * No jitter. Jitter spreads many clients that retry against one server. Here there are few: one outbox relay per
 * table, and the quic-sync posting threads of one link, which should all resume as soon as that link is back.
 * Exact delays also keep the log lines and the tests predictable.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;

    /**
     * {@code settings} names where the two values come from (for example {@code "retryBackoffMs / retryBackoffMaxMs"}),
     * so that a bad value is reported against the option the user set.
     *
     * @throws JunctionException unless {@code 1 <= initialMs <= maxMs}: a zero delay would retry in a busy loop, a
     *         negative one makes {@link Thread#sleep(long)} fail, and a maximum below the initial delay is a mistake
     */
    public Backoff(long initialMs, long maxMs, String settings) {
        if (initialMs < 1 || maxMs < initialMs) {
            throw new JunctionException("retry back-off needs 1 <= initial delay <= maximum delay (ms), got initial "
                    + initialMs + " ms and maximum " + maxMs + " ms; check " + settings);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /**
     * The wait after failed attempt {@code attempt} (1 for the first failure): doubles from the initial delay up to
     * the maximum. An attempt below 1 counts as the first: this runs inside error handlers, where throwing would end
     * the retry loop itself.
     */
    public long delayMs(int attempt) {
        // Not max(0, attempt - 1): that wraps around for Integer.MIN_VALUE.
        int doublings = attempt <= 1 ? 0 : attempt - 1;
        // Compare before shifting so the delay cannot overflow, however many attempts have been made.
        // 63 doublings or more are always past any cap, as initialMs >= 1 (and Java takes shift counts mod 64).
        if (doublings >= 63 || initialMs > (maxMs >> doublings)) {
            return maxMs;
        }
        return initialMs << doublings;
    }

    @Override
    public String toString() {
        return "Backoff[" + initialMs + " ms doubling up to " + maxMs + " ms]";
    }
}
