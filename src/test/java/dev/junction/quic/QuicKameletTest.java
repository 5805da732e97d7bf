package dev.junction.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kamelets/quic-sink and quic-source as Pipes use them: a message goes through the sink to the source and back. */
class QuicKameletTest {

    @TempDir
    Path dir;

    @Test
    void aMessageTravelsThroughTheQuicSinkToTheQuicSourceAndBack() throws Exception {
        SelfSignedCertificates.Files3 certs = SelfSignedCertificates.generate(dir.resolve("certs"), "RSA");
        int port = Ports.freePort();
        Path routes = dir.resolve("pipes.camel.yaml");
        Files.writeString(routes, """
                - route:
                    id: server-pipe
                    from:
                      uri: "kamelet:quic-source"
                      parameters:
                        host: localhost
                        port: %d
                        certFile: "%s"
                        keyFile: "%s"
                        token: pipe-token
                      steps:
                        - transform:
                            simple: "got ${bodyAs(String)} on ${header.CamelHttpPath}"
                - route:
                    id: client-pipe
                    from:
                      uri: "direct:send"
                      steps:
                        - to:
                            uri: "kamelet:quic-sink"
                            parameters:
                              host: localhost
                              port: %d
                              path: /pipe
                              trustCertFile: "%s"
                              token: pipe-token
                """.formatted(port, certs.cert(), certs.key(), port, certs.cert()));
        Map<String, String> props = Map.of("camel.component.kamelet.location", "file:" + TestJunction.repoDir().resolve("kamelets"));
        try (JunctionRuntime runtime = TestJunction.start(List.of(routes), props)) {
            String reply = runtime.camelContext().createProducerTemplate().requestBody("direct:send", "hello", String.class);
            assertThat(reply).isEqualTo("got hello on /pipe");
        }
    }
}
