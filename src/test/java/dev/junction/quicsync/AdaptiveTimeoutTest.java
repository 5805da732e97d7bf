package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveTimeoutTest {

    @Test
    void beforeAnyAnswerTheCapApplies() {
        assertThat(new AdaptiveTimeout(500, 30_000).timeoutMs(1)).isEqualTo(30_000);
    }

    @Test
    void followsTheSmoothedRoundTripAboveTheFloor() {
        AdaptiveTimeout timeout = new AdaptiveTimeout(500, 30_000);
        timeout.answered(10);
        assertThat(timeout.timeoutMs(1)).as("8 x 10 ms is under the floor").isEqualTo(500);
        for (int i = 0; i < 50; i++) {
            timeout.answered(200);
        }
        assertThat(timeout.timeoutMs(1)).isBetween(1_500L, 1_600L);
    }

    @Test
    void doublesForEachFailedAttemptUpToTheCap() {
        AdaptiveTimeout timeout = new AdaptiveTimeout(500, 30_000);
        timeout.answered(10);
        assertThat(timeout.timeoutMs(2)).isEqualTo(1_000);
        assertThat(timeout.timeoutMs(3)).isEqualTo(2_000);
        assertThat(timeout.timeoutMs(10)).isEqualTo(30_000);
        assertThat(timeout.timeoutMs(100)).isEqualTo(30_000);
    }
}
