package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sender's window follows what the link delivered and how fast batches were answered. */
class LinkWindowTest {

    @Test
    void startsAtTheConfiguredFloor() {
        LinkWindow window = new LinkWindow(16, 5000, 50_000);
        assertThat(window.requestsInFlight(0)).isEqualTo(16);
        assertThat(window.requestRecords(0)).isEqualTo(5000);
    }

    @Test
    void aLongFastLinkGetsMoreAndLargerRequests() {
        LinkWindow window = new LinkWindow(8, 2000, 50_000);
        // 10 seconds of 1.25 MB/s (10 Mbit/s) confirmed in batches of 5,000 records (160 KB), the fastest in 300 ms.
        for (long t = 0; t < 10_000; t += 128) {
            window.confirmed(5000, 160_000, t == 0 ? 300 : 900, t);
        }
        // BDP ~ 1.25 MB/s x 0.3 s = 375 KB: 4 BDPs in requests of 160 KB, in requests of a quarter BDP at 32 B a record.
        double bdp = window.bdpBytes(10_000);
        assertThat(bdp).isBetween(300_000.0, 450_000.0);
        assertThat(window.requestsInFlight(10_000)).isEqualTo((int) Math.ceil(4 * bdp / 160_000));
        assertThat(window.requestRecords(10_000)).isEqualTo((int) (bdp / 4 / 32));
    }

    @Test
    void aVeryLongLinkIsCappedAndForgottenAfterTenSeconds() {
        LinkWindow window = new LinkWindow(8, 1000, 20_000);
        for (long t = 0; t < 5_000; t += 10) {
            window.confirmed(1000, 1_000_000, 2_000, t); // 100 MB/s with 2 s answers: a 200 MB BDP
        }
        assertThat(window.requestsInFlight(5_000)).isEqualTo(LinkWindow.MAX_REQUESTS);
        assertThat(window.requestRecords(5_000)).isEqualTo(1048); // 1 MiB per request at most, 1,000 B a record
        assertThat(window.requestsInFlight(16_000)).isEqualTo(8); // nothing confirmed in the last ten seconds
    }
}
