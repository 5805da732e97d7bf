package dev.junction.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelay() {
        Backoff backoff = new Backoff(100, 30_000, "test");
        assertThat(backoff.delayMs(1)).isEqualTo(100);
        assertThat(backoff.delayMs(2)).isEqualTo(200);
        assertThat(backoff.delayMs(3)).isEqualTo(400);
        assertThat(backoff.delayMs(4)).isEqualTo(800);
        assertThat(backoff.delayMs(9)).isEqualTo(25_600);
    }

    @Test
    void stopsAtTheMaximum() {
        Backoff backoff = new Backoff(200, 10_000, "test");
        assertThat(backoff.delayMs(6)).as("200 x 32").isEqualTo(6_400);
        assertThat(backoff.delayMs(7)).as("200 x 64 is over the cap").isEqualTo(10_000);
        assertThat(backoff.delayMs(8)).isEqualTo(10_000);
    }

    @Test
    void reachesAMaximumThatIsAnExactDoubling() {
        Backoff backoff = new Backoff(50, 400, "test");
        assertThat(backoff.delayMs(4)).isEqualTo(400);
        assertThat(backoff.delayMs(5)).isEqualTo(400);
    }

    @Test
    void equalInitialAndMaximumIsAFixedDelay() {
        Backoff backoff = new Backoff(500, 500, "test");
        assertThat(backoff.delayMs(1)).isEqualTo(500);
        assertThat(backoff.delayMs(2)).isEqualTo(500);
        assertThat(backoff.delayMs(1_000)).isEqualTo(500);
    }

    @Test
    void largeAttemptNumbersDoNotOverflow() {
        Backoff backoff = new Backoff(1, Long.MAX_VALUE, "test");
        assertThat(backoff.delayMs(63)).as("2^62 still fits").isEqualTo(1L << 62);
        assertThat(backoff.delayMs(64)).as("2^63 does not: the cap").isEqualTo(Long.MAX_VALUE);
        assertThat(backoff.delayMs(65)).as("a shift of 64 would wrap to 1 in Java").isEqualTo(Long.MAX_VALUE);
        assertThat(backoff.delayMs(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);

        Backoff usual = new Backoff(100, 30_000, "test");
        for (int attempt = 1; attempt < 200; attempt++) {
            assertThat(usual.delayMs(attempt)).as("attempt %d", attempt).isBetween(100L, 30_000L);
        }
        assertThat(usual.delayMs(Integer.MAX_VALUE)).isEqualTo(30_000);
    }

    @Test
    void neverDecreasesAsAttemptsGrow() {
        Backoff backoff = new Backoff(3, 1_000_000, "test");
        long previous = 0;
        for (int attempt = 1; attempt < 100; attempt++) {
            long delay = backoff.delayMs(attempt);
            assertThat(delay).as("attempt %d", attempt).isGreaterThanOrEqualTo(previous);
            previous = delay;
        }
    }

    /** There is no state to reset: a caller starts over by counting from 1 again, and gets the initial delay. */
    @Test
    void resetsWhenTheCallerCountsFromOneAgain() {
        Backoff backoff = new Backoff(100, 30_000, "test");
        assertThat(backoff.delayMs(20)).isEqualTo(30_000);
        assertThat(backoff.delayMs(1)).isEqualTo(100);
        assertThat(backoff.delayMs(2)).isEqualTo(200);
    }

    @Test
    void attemptsBelowOneCountAsTheFirst() {
        Backoff backoff = new Backoff(100, 30_000, "test");
        assertThat(backoff.delayMs(0)).isEqualTo(100);
        assertThat(backoff.delayMs(-5)).isEqualTo(100);
        assertThat(backoff.delayMs(Integer.MIN_VALUE)).isEqualTo(100);
    }

    @Test
    void rejectsAnInitialDelayBelowOneMillisecond() {
        assertThatThrownBy(() -> new Backoff(0, 1_000, "the outbox's retryBackoffMs / retryBackoffMaxMs"))
                .isInstanceOf(JunctionException.class)
                .hasMessage("retry back-off needs 1 <= initial delay <= maximum delay (ms), got initial 0 ms and maximum"
                        + " 1000 ms; check the outbox's retryBackoffMs / retryBackoffMaxMs");
        assertThatThrownBy(() -> new Backoff(-10, 1_000, "x")).isInstanceOf(JunctionException.class)
                .hasMessageContaining("got initial -10 ms");
    }

    @Test
    void rejectsAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(500, 100, "quic-sync's retryBackoffMs / retryBackoffMaxMs"))
                .isInstanceOf(JunctionException.class)
                .hasMessageContaining("got initial 500 ms and maximum 100 ms")
                .hasMessageEndingWith("check quic-sync's retryBackoffMs / retryBackoffMaxMs");
    }

    @Test
    void saysWhatItDoes() {
        assertThat(new Backoff(50, 500, "test")).hasToString("Backoff[50 ms doubling up to 500 ms]");
    }
}
