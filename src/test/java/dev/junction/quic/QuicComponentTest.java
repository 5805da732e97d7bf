package dev.junction.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.junction.infra.Ports;
import dev.junction.quic.SelfSignedCertificates;
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
 * The quic component on real QUIC over loopback: an HTTP/3 server route and an HTTP/3 client, TLS 1.3 from PEM
 * files, bearer tokens, and the 4xx answers that protect the route.
 */
class QuicComponentTest {

    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    private static CamelContext camel;
    private static ProducerTemplate template;
    private static int rsaPort;
    private static int ecPort;
    private static int pkcs1Port;
    private static SelfSignedCertificates.Files3 rsa;
    private static SelfSignedCertificates.Files3 ec;
    private static final AtomicInteger ROUTE_CALLS = new AtomicInteger();

    @BeforeAll
    static void startServers() throws Exception {
        rsa = SelfSignedCertificates.generate(dir.resolve("rsa"), "RSA");
        ec = SelfSignedCertificates.generate(dir.resolve("ec"), "EC");
        rsaPort = Ports.freePort();
        ecPort = Ports.freePort();
        pkcs1Port = Ports.freePort();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (var server : Map.of(rsaPort, rsa.key(), ecPort, ec.key(), pkcs1Port, rsa.keyPkcs1()).entrySet()) {
                    Path cert = server.getValue() == ec.key() ? ec.cert() : rsa.cert();
                    from("quic:localhost:" + server.getKey() + "?certFile=" + cert + "&keyFile=" + server.getValue()
                            + "&token=" + TOKEN + "&maxBodyBytes=100000")
                            .process(e -> ROUTE_CALLS.incrementAndGet())
                            .choice()
                                .when(header(Exchange.HTTP_PATH).isEqualTo("/echo"))
                                    .transform(simple("${header.CamelHttpMethod} ${bodyAs(String).toUpperCase()}"))
                                .when(header(Exchange.HTTP_PATH).isEqualTo("/digest"))
                                    .process(e -> e.getMessage().setBody(digest(e.getMessage().getBody(byte[].class))))
                                .when(header(Exchange.HTTP_PATH).isEqualTo("/slow"))
                                    .process(e -> Thread.sleep(1500)) // a slow route, for the client deadline
                                .when(header(Exchange.HTTP_PATH).isEqualTo("/fail"))
                                    .throwException(new IllegalStateException("the route broke"))
                                .otherwise()
                                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                                    .setBody(constant("no such path"));
                }
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    private static String client(int port, Path trust, String token, String path) {
        return "quic:localhost:" + port + "?trustCertFile=" + trust + "&path=" + path
                + (token == null ? "" : "&token=" + token);
    }

    private static Exchange send(String uri, byte[] body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    @Test
    void requestAndResponseTravelOverHttp3WithAnRsaCertificate() {
        String reply = template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/echo"), "hello quic", String.class);
        assertThat(reply).isEqualTo("POST HELLO QUIC");
    }

    private static String digest(byte[] body) throws Exception {
        return body.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void bodiesOfAnySizeArriveByteForByte() throws Exception {
        // The producer sends a body's last bytes in DATA frames of their own (QuicProducer.bodyPublisher).
        Random random = new Random(42);
        for (int size : new int[] {1, 2, 3, 4, 1_500, 99_999}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            String reply = template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/digest"), body, String.class);
            assertThat(reply).as("body of %d bytes", size).isEqualTo(digest(body));
        }
    }

    @Test
    void concurrentRequestsSpreadOverSeveralConnectionsAllGetTheirOwnAnswer() throws Exception {
        String uri = client(ecPort, ec.cert(), TOKEN, "/echo") + "&connections=3";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                answers.add(pool.submit(() -> template.requestBodyAndHeader(uri, "request " + n, QuicConstants.CONNECTION, n, String.class)));
            }
            for (int i = 0; i < 30; i++) {
                assertThat(answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("POST REQUEST " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPerRequestTimeoutHeaderFailsASlowRequestAndTheNextOneWorks() {
        Exchange slow = template.request(client(ecPort, ec.cert(), TOKEN, "/slow"), e -> {
            e.getMessage().setHeader(QuicConstants.REQUEST_TIMEOUT_MS, 300L);
            e.getMessage().setBody("x");
        });
        assertThat(slow.getException()).hasMessageContaining("no answer within 300 ms");
        assertThat(template.requestBody(client(ecPort, ec.cert(), TOKEN, "/echo"), "after", String.class)).isEqualTo("POST AFTER");
    }

    @Test
    void anEcCertificateAndAPkcs1RsaKeyWorkToo() {
        assertThat(template.requestBody(client(ecPort, ec.cert(), TOKEN, "/echo"), "ec", String.class)).isEqualTo("POST EC");
        assertThat(template.requestBody(client(pkcs1Port, rsa.cert(), TOKEN, "/echo"), "pkcs1", String.class)).isEqualTo("POST PKCS1");
    }

    @Test
    void aWrongOrMissingTokenGets401AndNeverReachesTheRoute() {
        int before = ROUTE_CALLS.get();
        String wrong = client(rsaPort, rsa.cert(), "not-the-token", "/echo") + "&throwExceptionOnFailure=false";
        String missing = client(rsaPort, rsa.cert(), null, "/echo") + "&throwExceptionOnFailure=false";
        assertThat(send(wrong, "x".getBytes()).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(send(missing, "x".getBytes()).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(ROUTE_CALLS.get()).isEqualTo(before);
    }

    @Test
    void anOversizedBodyGets413AndTheServerKeepsServing() {
        int before = ROUTE_CALLS.get();
        Exchange big = send(client(rsaPort, rsa.cert(), TOKEN, "/echo") + "&throwExceptionOnFailure=false", new byte[200_000]);
        assertThat(big.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(413);
        assertThat(ROUTE_CALLS.get()).isEqualTo(before);
        assertThat(template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/echo"), "still here", String.class)).isEqualTo("POST STILL HERE");
    }

    @Test
    void theRouteAnswers404ForAnUnknownPathAndTheClientFailsWithTheStatus() {
        assertThatThrownBy(() -> template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/nowhere"), "x", String.class))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(QuicHttpException.class).hasMessageContaining("404").hasMessageContaining("no such path");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        // The EC server's certificate is not the one the client pins.
        assertThatThrownBy(() -> template.requestBody(client(ecPort, rsa.cert(), TOKEN, "/echo") + "&connectTimeoutMs=2000", "x", String.class))
                .isInstanceOf(CamelExecutionException.class);
    }

    @Test
    void aFailingRouteAnswers500WithTheReasonAndTheServerKeepsServing() {
        Exchange failed = send(client(rsaPort, rsa.cert(), TOKEN, "/fail") + "&throwExceptionOnFailure=false", "x".getBytes());
        assertThat(failed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(failed.getMessage().getBody(String.class)).contains("the route broke");
        assertThat(template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/echo"), "ok", String.class)).isEqualTo("POST OK");
    }

    @Test
    void aBusyUdpPortIsAClearError() throws Exception {
        // In this test's own CamelContext: a second context that fails to start also stops the first one in this
        // JVM (Camel 4.18), which would break the other tests.
        try (var holder = new java.net.DatagramSocket(new java.net.InetSocketAddress("localhost", 0))) {
            int busy = holder.getLocalPort();
            assertThatThrownBy(() -> camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("quic:localhost:" + busy + "?certFile=" + rsa.cert() + "&keyFile=" + rsa.key())
                            .routeId("busy-port").log("never");
                }
            })).satisfies(e -> {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                assertThat(root).isInstanceOf(dev.junction.support.JunctionException.class)
                        .hasMessageContaining("UDP port " + busy).hasMessageContaining("busy");
            });
        } finally {
            camel.getRouteController().stopRoute("busy-port");
            camel.removeRoute("busy-port");
        }
        assertThat(template.requestBody(client(rsaPort, rsa.cert(), TOKEN, "/echo"), "alive", String.class)).isEqualTo("POST ALIVE");
    }

    @Test
    void aGetWithoutBody() {
        Exchange get = template.request(client(rsaPort, rsa.cert(), TOKEN, "/echo"), e -> e.getMessage().setBody(null));
        assertThat(new String(get.getMessage().getBody(byte[].class), StandardCharsets.UTF_8)).isEqualTo("GET ");
    }
}
