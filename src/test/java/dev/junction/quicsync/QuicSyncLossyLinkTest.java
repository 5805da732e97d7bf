package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.junction.quic.SelfSignedCertificates;
import dev.junction.testing.Arrivals;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.LossyLink;
import dev.junction.testing.SiteProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * quic-sync across a real lossy WAN link ({@code ../shared/tools/lossy-link} (a): 100 ms each way, 2% loss,
 * 10 Mbit/s), each site a network namespace with its own Kafka broker, the link cut for 30 s mid-stream: every
 * record arrives exactly once, and records flow again after the link's return (how soon is bench quic-sync-wan's
 * resume_s). Needs root; skipped elsewhere.
 */
@EnabledIf("dev.junction.testing.LossyLink#available")
class QuicSyncLossyLinkTest {

    private static final LossyLink.Shape LINK_A = new LossyLink.Shape("a", 100, 2, 10);
    private static final int RECORDS = 200_000;
    private static final int OUTAGE_SECONDS = 30;
    private static final String TOKEN = "wan-test-token";

    @TempDir
    Path dir;

    @Test
    void aThirtySecondOutageMidStreamLosesAndDuplicatesNothing() throws Exception {
        SelfSignedCertificates.Files3 certs = SelfSignedCertificates.generate(dir.resolve("certs"), "EC",
                "dns:" + LossyLink.HOST_B);
        try (LossyLink link = LossyLink.up(LINK_A);
             SiteProcess brokerA = SiteProcess.broker(LossyLink.SITE_A, dir, LossyLink.ADDRESS_A, 9092);
             SiteProcess brokerB = SiteProcess.broker(LossyLink.SITE_B, dir, LossyLink.ADDRESS_B, 9092)) {
            String bootstrapA = LossyLink.ADDRESS_A + ":9092";
            String bootstrapB = LossyLink.ADDRESS_B + ":9092";
            SiteProcess.runToEnd(LossyLink.SITE_A, dir.resolve("produce.log"), 120, "produce", bootstrapA, "wan-orders",
                    String.valueOf(RECORDS), "none");
            Arrivals arrivals = new Arrivals();
            try (SiteProcess counter = SiteProcess.site(LossyLink.SITE_B, dir.resolve("count.log"), arrivals::accept,
                         "count", bootstrapB, "wan-orders", String.valueOf(RECORDS));
                 ForkedJunction receiver = ForkedJunction.startInNamespace(LossyLink.SITE_B, dir.resolve("receiver.log"),
                         receiverSettings(certs, bootstrapB), "run", "--routes", "routes/quic-sync-receiver.camel.yaml");
                 ForkedJunction sender = ForkedJunction.startInNamespace(LossyLink.SITE_A, dir.resolve("sender.log"),
                         senderSettings(certs, bootstrapA), "run", "--routes", "routes/quic-sync-sender.camel.yaml")) {
                await().atMost(Duration.ofMinutes(2)).until(() -> arrivals.unique() >= RECORDS / 20 || !sender.isAlive());
                link.outage(OUTAGE_SECONDS);
                long returnAt = System.currentTimeMillis() + OUTAGE_SECONDS * 1000L;
                long beforeOutage = arrivals.unique();
                try {
                    await().atMost(Duration.ofMinutes(4)).until(() -> arrivals.unique() >= RECORDS || !sender.isAlive());
                    // Anything still on its way would be a copy: the count must hold still at exactly RECORDS.
                    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> arrivals.records() == RECORDS);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(arrivals.unique() + " of " + RECORDS + " distinct records, " + arrivals.records()
                            + " in all; the sender's log:\n" + sender.log(), e);
                }
                assertThat(beforeOutage).as("the outage cut the stream").isLessThan(RECORDS / 2);
                assertThat(arrivals.firstAfter(returnAt)).as("records arrived after the link's return").isPositive();
                assertThat(arrivals.unique()).isEqualTo(RECORDS);
                assertThat(arrivals.records()).as("no record twice").isEqualTo(RECORDS);
                assertThat(sender.log()).as("silent connections replaced").contains("hears nothing back");
            }
        }
    }

    private static Map<String, String> receiverSettings(SelfSignedCertificates.Files3 certs, String bootstrap) {
        Map<String, String> p = new HashMap<>(LoopbackLink.receiver(LossyLink.ADDRESS_B, 8443, certs, TOKEN));
        p.put("camel.management.enabled", "false");
        p.put("kafka.bootstrap", bootstrap);
        return p;
    }

    private static Map<String, String> senderSettings(SelfSignedCertificates.Files3 certs, String bootstrap) {
        Map<String, String> p = new HashMap<>(LoopbackLink.sender(LossyLink.HOST_B, 8443, certs, TOKEN));
        p.put("camel.management.enabled", "false");
        p.put("kafka.bootstrap", bootstrap);
        p.put("quic-sync.topics.include", "wan-orders");
        return p;
    }
}
