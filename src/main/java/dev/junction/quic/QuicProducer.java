package dev.junction.quic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.junction.support.JunctionException;
import dev.junction.support.TlsMaterial;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import tech.kwik.flupke.Http3Client;
import tech.kwik.flupke.Http3ClientBuilder;

/**
 * An HTTP/3 client: sends the body (POST when there is one, else GET; header CamelHttpMethod overrides) to the
 * path (endpoint option, or header CamelHttpPath) and puts the response in the message (CamelHttpResponseCode,
 * body bytes). A non-2xx answer fails the exchange with {@link QuicHttpException} unless throwExceptionOnFailure
 * is off. A broken connection is rebuilt on the next request. With option connections above 1 the requests are
 * spread over that many QUIC connections.
 */
public class QuicProducer extends DefaultProducer {

    /** How many of a body's last bytes go in DATA frames of their own (see bodyPublisher). */
    private static final int TAIL_FRAMES = 2;

    private AtomicReferenceArray<HttpClient> clients;
    private volatile NativeHttp3Client nativeClient;
    private AtomicIntegerArray timeoutsInARow;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public QuicProducer(QuicEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public QuicEndpoint getEndpoint() {
        return (QuicEndpoint) super.getEndpoint();
    }

    /**
     * The body as DATA frames: all of it but its last bytes in one frame (ofByteArray would cut it in 16 KB pieces),
     * then each of the last {@value #TAIL_FRAMES} bytes in a frame of its own. kwik 0.10.8 can leave a stream's
     * data unsent when a write races its sender thread (StreamOutputStreamImpl's queued-request counter); the next
     * write into the stream queues it again. The small frames at the end are such writes, so a request stalls only
     * when every one of them loses that race too (docs/quic-sync-protocol.md, known limits).
     */
    static HttpRequest.BodyPublisher bodyPublisher(byte[] body) {
        if (body.length <= TAIL_FRAMES) {
            return HttpRequest.BodyPublishers.ofByteArrays(List.of(body));
        }
        int head = body.length - TAIL_FRAMES;
        List<byte[]> frames = new ArrayList<>(TAIL_FRAMES + 1);
        frames.add(Arrays.copyOf(body, head));
        for (int i = head; i < body.length; i++) {
            frames.add(new byte[] {body[i]});
        }
        return HttpRequest.BodyPublishers.ofByteArrays(frames);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        QuicConfiguration config = getEndpoint().getConfiguration();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String method = exchange.getMessage().getHeader(QuicConstants.HTTP_METHOD, body == null ? "GET" : "POST", String.class);
        String path = exchange.getMessage().getHeader(QuicConstants.HTTP_PATH, config.getPath(), String.class);
        long timeoutMs = exchange.getMessage().getHeader(QuicConstants.REQUEST_TIMEOUT_MS, config.getRequestTimeoutMs(), Long.class);
        String fullPath = path.startsWith("/") ? path : "/" + path;
        Map<String, String> headers = requestHeaders(exchange, config);
        if (nativeClient != null) {
            sendNative(exchange, config, method, fullPath, headers, body, timeoutMs);
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + config.getHost() + ":" + config.getPort() + fullPath))
                .timeout(Duration.ofMillis(timeoutMs))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : bodyPublisher(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        int connection = connectionFor(exchange);
        HttpClient current = client(connection);
        CompletableFuture<HttpResponse<byte[]>> pending;
        try {
            pending = current.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException closed) {
            // kwik refuses at once on a connection it has closed ("Cannot connect a connection that is in state
            // Closed"): without this the slot would keep a dead connection for good.
            dropClient(connection, current);
            throw failed(config, closed.getMessage(), closed);
        }
        response = await(pending, connection, timeoutMs, config, () -> dropClient(connection, current));
        answered(exchange, config, response.statusCode(), response.body());
    }

    /**
     * The answer within the deadline, enforced here: a QUIC stream or connection can stall without failing. A failed
     * connection (kwik also closes one when its interface goes down) is replaced at once. One request without an
     * answer may be a single stuck stream: its connection keeps serving the requests already on it, and is replaced
     * when its next request gets no answer either.
     */
    private <T> T await(CompletableFuture<T> pending, int connection, long timeoutMs, QuicConfiguration config,
            Runnable dropConnection) throws IOException, InterruptedException {
        try {
            T answer = pending.get(timeoutMs, TimeUnit.MILLISECONDS);
            timeoutsInARow.set(connection, 0);
            return answer;
        } catch (TimeoutException | ExecutionException e) {
            pending.cancel(true);
            if (e instanceof ExecutionException || timeoutsInARow.incrementAndGet(connection) >= 2) {
                timeoutsInARow.set(connection, 0);
                dropConnection.run();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw failed(config, e instanceof TimeoutException ? "no answer within " + timeoutMs + " ms" : cause.getMessage(), cause);
        }
    }

    /** The response into the message; a non-2xx one fails the exchange unless throwExceptionOnFailure is off. */
    private static void answered(Exchange exchange, QuicConfiguration config, int status, byte[] body) throws QuicHttpException {
        exchange.getMessage().setHeader(QuicConstants.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
        if (config.isThrowExceptionOnFailure() && (status < 200 || status > 299)) {
            throw new QuicHttpException(status, new String(body, StandardCharsets.UTF_8).strip());
        }
    }

    /** The bearer token, the content type and the application's x-... headers (the quic-sync source cluster, say). */
    private static Map<String, String> requestHeaders(Exchange exchange, QuicConfiguration config) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.getToken() != null && !config.getToken().isBlank()) {
            headers.put("authorization", BearerToken.header(config.getToken()));
        }
        String contentType = exchange.getMessage().getHeader(QuicConstants.CONTENT_TYPE, String.class);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (name.regionMatches(true, 0, "x-", 0, 2) && value != null) {
                headers.put(name.toLowerCase(), value.toString());
            }
        });
        return headers;
    }

    /** The request on the native transport: a connection that failed is made again for the next request. */
    private void sendNative(Exchange exchange, QuicConfiguration config, String method, String path, Map<String, String> headers,
            byte[] body, long timeoutMs) throws Exception {
        int connection = connectionFor(exchange);
        NativeHttp3Client client = nativeClient;
        NativeHttp3Client.Sent sent;
        try {
            sent = client.send(connection, method, path, headers, body);
        } catch (Exception e) {
            // No connection (the handshake failed or timed out): the next request tries a new one.
            throw failed(config, String.valueOf(e.getMessage()), e);
        }
        QuicAnswer answer = await(sent.answer(), connection, timeoutMs, config, () -> client.drop(connection, sent.connection()));
        answered(exchange, config, answer.status(), answer.body());
    }

    private static IOException failed(QuicConfiguration config, String reason, Throwable cause) {
        return new IOException("HTTP/3 request to " + config.getHost() + ":" + config.getPort() + " failed: " + reason, cause);
    }

    private int connectionFor(Exchange exchange) {
        Integer chosen = exchange.getMessage().getHeader(QuicConstants.CONNECTION, Integer.class);
        int n = clients.length();
        return Math.floorMod(chosen != null ? chosen : roundRobin.getAndIncrement(), n);
    }

    private HttpClient client(int connection) throws Exception {
        HttpClient c = clients.get(connection);
        if (c == null) {
            synchronized (this) {
                c = clients.get(connection);
                if (c == null) {
                    c = newClient(getEndpoint().getConfiguration());
                    clients.set(connection, c);
                }
            }
        }
        return c;
    }

    private static HttpClient newClient(QuicConfiguration config) throws Exception {
        Http3ClientBuilder builder = Http3Client.newBuilder()
                .connectTimeout(Duration.ofMillis(config.getConnectTimeoutMs()))
                .logger(QuicTrace.logger("client"));
        if (config.getTrustCertFile() != null && !config.getTrustCertFile().isBlank()) {
            builder.trustManager(trustManager(Path.of(config.getTrustCertFile())));
        }
        return builder.build();
    }

    /** Trusts exactly the certificates in the file: the server's own (pinning) or a private CA. */
    private static X509TrustManager trustManager(Path file) throws Exception {
        for (TrustManager tm : TlsMaterial.trustManagers(file, NativeTls.TRUST_CERT_SETTING).getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509 trust manager");
    }

    private void dropClient(int connection, HttpClient broken) {
        clients.compareAndSet(connection, broken, null);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        clients = new AtomicReferenceArray<>(Math.max(1, getEndpoint().getConfiguration().getConnections()));
        timeoutsInARow = new AtomicIntegerArray(clients.length());
        QuicConfiguration config = getEndpoint().getConfiguration();
        if (config.isNativeTransport()) {
            nativeClient = new NativeHttp3Client(config);
        } else if (config.getClientCertFile() != null && !config.getClientCertFile().isBlank()) {
            throw new JunctionException("the kwik transport cannot present a client certificate; use transport=native for"
                    + " clientCertFile (mutual TLS)");
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (clients != null) { // null when stopped before it started (a shutdown during start-up)
            clients = new AtomicReferenceArray<>(clients.length());
        }
        if (nativeClient != null) {
            nativeClient.close();
            nativeClient = null;
        }
        super.doStop();
    }
}
