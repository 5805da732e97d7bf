package dev.junction.quic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import tech.kwik.core.log.NullLogger;
import tech.kwik.flupke.Http3Client;
import tech.kwik.flupke.Http3ClientBuilder;

/**
 * An HTTP/3 client: sends the body (POST when there is one, else GET; header CamelHttpMethod overrides) to the
 * path (endpoint option, or header CamelHttpPath) and puts the response in the message (CamelHttpResponseCode,
 * body bytes). A non-2xx answer fails the exchange with {@link QuicHttpException} unless throwExceptionOnFailure
 * is off. A broken connection is rebuilt on the next request.
 */
public class QuicProducer extends DefaultProducer {

    private volatile HttpClient client;

    public QuicProducer(QuicEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public QuicEndpoint getEndpoint() {
        return (QuicEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        QuicConfiguration config = getEndpoint().getConfiguration();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String method = exchange.getMessage().getHeader(QuicConstants.HTTP_METHOD, body == null ? "GET" : "POST", String.class);
        String path = exchange.getMessage().getHeader(QuicConstants.HTTP_PATH, config.getPath(), String.class);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + config.getHost() + ":" + config.getPort()
                        + (path.startsWith("/") ? path : "/" + path)))
                .timeout(Duration.ofMillis(config.getRequestTimeoutMs()))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.getToken() != null && !config.getToken().isBlank()) {
            request.header("authorization", BearerToken.header(config.getToken()));
        }
        String contentType = exchange.getMessage().getHeader(QuicConstants.CONTENT_TYPE, String.class);
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        // Application headers of the form x-...: sent as they are (for example the quic-sync source cluster).
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (name.regionMatches(true, 0, "x-", 0, 2) && value != null) {
                request.header(name.toLowerCase(), value.toString());
            }
        });
        HttpResponse<byte[]> response;
        HttpClient current = client();
        var pending = current.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The deadline is enforced here: a QUIC connection can stall without failing (a lost path, a stuck
            // stream), and then only a new connection helps.
            response = pending.get(config.getRequestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            pending.cancel(true);
            dropClient(current); // kwik also closes a connection when its interface goes down: a new one next time
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("HTTP/3 request to " + config.getHost() + ":" + config.getPort() + " failed: "
                    + (e instanceof TimeoutException ? "no answer within " + config.getRequestTimeoutMs() + " ms" : cause.getMessage()), cause);
        }
        exchange.getMessage().setHeader(QuicConstants.HTTP_RESPONSE_CODE, response.statusCode());
        exchange.getMessage().setBody(response.body());
        if (config.isThrowExceptionOnFailure() && (response.statusCode() < 200 || response.statusCode() > 299)) {
            throw new QuicHttpException(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8).strip());
        }
    }

    private HttpClient client() throws Exception {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = newClient(getEndpoint().getConfiguration());
                }
                c = client;
            }
        }
        return c;
    }

    private static HttpClient newClient(QuicConfiguration config) throws Exception {
        Http3ClientBuilder builder = Http3Client.newBuilder()
                .connectTimeout(Duration.ofMillis(config.getConnectTimeoutMs()))
                .logger(new NullLogger());
        if (config.getTrustCertFile() != null && !config.getTrustCertFile().isBlank()) {
            builder.trustManager(trustManager(Path.of(config.getTrustCertFile())));
        }
        return builder.build();
    }

    /** Trusts exactly the certificates in the file: the server's own (pinning) or a private CA. */
    private static X509TrustManager trustManager(Path file) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (X509Certificate cert : TlsMaterial.certificates(file)) {
            trusted.setCertificateEntry("trusted-" + i++, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509 trust manager");
    }

    private synchronized void dropClient(HttpClient broken) {
        if (client == broken) {
            client = null;
        }
    }

    @Override
    protected void doStop() throws Exception {
        client = null;
        super.doStop();
    }
}
