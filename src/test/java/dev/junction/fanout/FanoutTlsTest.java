package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.quic.SelfSignedCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients over TLS: a client that trusts the daemon's certificate gets records; one that trusts another does not. */
class FanoutTlsTest {

    @TempDir
    Path dir;

    @Test
    void aClientTrustingTheDaemonsCertificateGetsRecordsOverTlsAndOneTrustingAnotherDoesNot() throws Exception {
        SelfSignedCertificates.Files3 daemon = SelfSignedCertificates.generate(dir.resolve("daemon"), "EC");
        SelfSignedCertificates.Files3 stranger = SelfSignedCertificates.generate(dir.resolve("stranger"), "EC");
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("fanout.tls-cert-file", daemon.cert().toString(),
                "fanout.tls-key-file", daemon.key().toString()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> fanout.service().isLeader());
            try (FanoutClient wary = FanoutClient.builder().servers("localhost:" + fanout.port).name("wary")
                    .trustCertFile(stranger.cert()).handler(r -> r.ack()).start();
                 FanoutClient trusting = FanoutClient.builder().servers("localhost:" + fanout.port).name("trusting")
                         .trustCertFile(daemon.cert()).handler(r -> {
                             fanout.acked.add(FanoutFixture.got("trusting", r));
                             r.ack();
                         }).start()) {
                assertThat(trusting.awaitConnected(Duration.ofSeconds(30))).isTrue();
                fanout.produce(100);
                await().atMost(Duration.ofSeconds(60)).until(() -> fanout.ackedValues().size() == 100);
                assertThat(wary.isConnected()).isFalse();
                assertThat(fanout.service().connectedClients()).isEqualTo(1);
            }
        }
    }
}
