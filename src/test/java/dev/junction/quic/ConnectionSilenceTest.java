package dev.junction.quic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Silence: sending without hearing back for four round trips (1 to 3 s), while requests wait for answers. */
class ConnectionSilenceTest {

    private static final long RTT_200_MS = 200_000_000L;

    @Test
    void sendingWithoutHearingBackIsSilenceAfterFourRoundTripsAtLeastOneSecond() {
        ConnectionSilence silence = new ConnectionSilence();
        assertThat(silence.silent(100, 100, RTT_200_MS, true, 0)).isFalse();
        assertThat(silence.silent(100, 120, RTT_200_MS, true, 900)).isFalse();
        assertThat(silence.silent(100, 130, RTT_200_MS, true, 1000)).isTrue();
    }

    @Test
    void hearingAnythingOrNotWaitingStartsOver() {
        ConnectionSilence silence = new ConnectionSilence();
        silence.silent(100, 100, RTT_200_MS, true, 0);
        assertThat(silence.silent(101, 130, RTT_200_MS, true, 1000)).isFalse(); // an ACK came
        assertThat(silence.silent(101, 140, RTT_200_MS, false, 2100)).isFalse(); // nothing waits: idle, not silent
        assertThat(silence.silent(101, 150, RTT_200_MS, true, 2200)).isFalse();
        assertThat(silence.silent(101, 160, RTT_200_MS, true, 3200)).isTrue();
    }

    @Test
    void aSlowServerIsNotSilence() {
        ConnectionSilence silence = new ConnectionSilence();
        silence.silent(100, 100, RTT_200_MS, true, 0);
        // The request was acknowledged; the client sends nothing while the server works on it.
        assertThat(silence.silent(100, 100, RTT_200_MS, true, 10_000)).isFalse();
    }

    @Test
    void aLongRoundTripWaitsLongerButAtMostThreeSeconds() {
        ConnectionSilence silence = new ConnectionSilence();
        long rtt5s = 5_000_000_000L;
        silence.silent(100, 100, rtt5s, true, 0);
        assertThat(silence.silent(100, 110, rtt5s, true, 2900)).isFalse();
        assertThat(silence.silent(100, 120, rtt5s, true, 3000)).isTrue();
    }
}
