package dev.junction.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import dev.junction.infra.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quic component's native transport (Netty's QUIC codec on quiche) on real QUIC over loopback: against itself,
 * against the kwik transport both ways, with client certificates (mutual TLS), and refusing a server certificate that
 * does not name the host.
 */
class NativeTransportTest {

    private static final String TOKEN = "n4tive-token";

    @TempDir
    static Path dir;

    private static CamelContext camel;
    private static ProducerTemplate template;
    private static SelfSignedCertificates.Files3 server;
    private static SelfSignedCertificates.Files3 clientCert;
    private static SelfSignedCertificates.Files3 strangerCert;
    private static int nativePort;
    private static int kwikPort;
    private static int mutualPort;

    @BeforeAll
    static void startServers() throws Exception {
        server = SelfSignedCertificates.generate(dir.resolve("server"), "EC");
        clientCert = SelfSignedCertificates.generate(dir.resolve("client"), "EC");
        strangerCert = SelfSignedCertificates.generate(dir.resolve("stranger"), "EC");
        nativePort = Ports.freePort();
        kwikPort = Ports.freePort();
        mutualPort = Ports.freePort();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                String tls = "?certFile=" + server.cert() + "&keyFile=" + server.key() + "&token=" + TOKEN + "&maxBodyBytes=3000000";
                from("quic:localhost:" + nativePort + tls + "&transport=native").process(NativeTransportTest::echo);
                from("quic:localhost:" + kwikPort + tls + "&transport=kwik").process(NativeTransportTest::echo);
                from("quic:localhost:" + mutualPort + tls + "&transport=native&clientTrustCertFile=" + clientCert.cert())
                        .process(NativeTransportTest::echo);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** Answers "METHOD PATH LENGTH FIRST LAST x-junction-test": what arrived, in a line. */
    private static void echo(Exchange e) {
        byte[] body = e.getMessage().getBody(byte[].class);
        String summary = e.getMessage().getHeader(Exchange.HTTP_METHOD) + " " + e.getMessage().getHeader(Exchange.HTTP_PATH) + " "
                + body.length + (body.length > 0 ? " " + body[0] + " " + body[body.length - 1] : "")
                + " " + e.getMessage().getHeader("x-junction-test");
        e.getMessage().setBody(summary.getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    private static String client(String host, int port, String transport, String extra) {
        return "quic:" + host + ":" + port + "?trustCertFile=" + server.cert() + "&token=" + TOKEN + "&transport=" + transport
                + "&path=/echo&requestTimeoutMs=10000&connectTimeoutMs=5000" + extra;
    }

    private static String send(String uri, byte[] body) {
        Exchange e = template.request(uri, x -> {
            x.getMessage().setBody(body);
            x.getMessage().setHeader("x-junction-test", "yes");
        });
        if (e.getException() != null) {
            throw new CamelExecutionException("request failed", e, e.getException());
        }
        return e.getMessage().getBody(String.class);
    }

    /**
     * As a quic-sync sender does with kwik: a request without an answer in time is sent once more. kwik 0.10.8 can
     * leave a stream's last bytes unsent (docs/quic-sync-protocol.md, known limits; about one run in ten of this
     * test under load).
     */
    private static String sendOnceMore(String uri, byte[] body) {
        try {
            return send(uri, body);
        } catch (CamelExecutionException e) {
            if (!String.valueOf(e.getCause().getMessage()).contains("no answer within")) {
                throw e;
            }
            return send(uri, body);
        }
    }

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void theNativeClientAndServerCarryBodiesBothWays() {
        byte[] big = body(2_000_000);
        assertThat(send(client("localhost", nativePort, "native", ""), big))
                .isEqualTo("POST /echo 2000000 " + big[0] + " " + big[big.length - 1] + " yes");
        assertThat(send(client("localhost", nativePort, "native", "&connections=3"), "x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("POST /echo 1 120 120 yes");
    }

    @Test
    void theTwoTransportsInteroperate() {
        byte[] body = body(300_000);
        String expected = "POST /echo 300000 " + body[0] + " " + body[body.length - 1] + " yes";
        assertThat(sendOnceMore(client("localhost", nativePort, "kwik", ""), body)).as("kwik client, native server").isEqualTo(expected);
        assertThat(send(client("localhost", kwikPort, "native", ""), body)).as("native client, kwik server").isEqualTo(expected);
    }

    @Test
    void theNativeServerRefusesAMissingTokenAndAnOversizedBody() {
        Exchange noToken = template.request("quic:localhost:" + nativePort + "?trustCertFile=" + server.cert()
                + "&transport=native&throwExceptionOnFailure=false", x -> x.getMessage().setBody(new byte[10]));
        assertThat(noToken.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(401);
        Exchange big = template.request(client("localhost", nativePort, "native", "&throwExceptionOnFailure=false"),
                x -> x.getMessage().setBody(body(3_500_000)));
        assertThat(big.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(413);
        assertThat(big.getMessage().getBody(String.class)).contains("larger than 3000000 bytes");
    }

    @Test
    void withClientTrustCertFileOnlyAClientWithATrustedCertificateGetsIn() {
        String trusted = "&clientCertFile=" + clientCert.cert() + "&clientKeyFile=" + clientCert.key();
        assertThat(send(client("localhost", mutualPort, "native", trusted), new byte[] {1, 2}))
                .isEqualTo("POST /echo 2 1 2 yes");
        assertThatThrownBy(() -> send(client("localhost", mutualPort, "native", ""), new byte[] {1}))
                .as("no client certificate").isInstanceOf(CamelExecutionException.class);
        String stranger = "&clientCertFile=" + strangerCert.cert() + "&clientKeyFile=" + strangerCert.key();
        assertThatThrownBy(() -> send(client("localhost", mutualPort, "native", stranger), new byte[] {1}))
                .as("a certificate the server does not trust").isInstanceOf(CamelExecutionException.class);
    }

    @Test
    void aServerCertificateThatDoesNotNameTheHostIsRefused() {
        // The certificate names localhost only: reaching the same server as 127.0.0.1 must fail.
        assertThatThrownBy(() -> send(client("127.0.0.1", nativePort, "native", ""), new byte[] {1}))
                .isInstanceOf(CamelExecutionException.class)
                .rootCause().hasMessageContaining("does not name 127.0.0.1");
        assertThat(send(client("localhost", nativePort, "native", ""), new byte[] {7})).isEqualTo("POST /echo 1 7 7 yes");
    }
}
