package dev.junction.quic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.junction.support.JunctionException;
import dev.junction.support.TlsMaterial;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;
import tech.kwik.flupke.server.Http3ApplicationProtocolFactory;
import tech.kwik.flupke.server.HttpRequestHandler;
import tech.kwik.flupke.server.HttpServerRequest;
import tech.kwik.flupke.server.HttpServerResponse;

/**
 * An HTTP/3 server. Each request becomes an exchange (body = request bytes; headers CamelHttpMethod,
 * CamelHttpPath, CamelHttpQuery); the route's reply is the response (CamelHttpResponseCode, default 200).
 * Requests without the bearer token get 401 and bodies over maxBodyBytes 413, both before the route sees them;
 * a route that fails answers 500 with the reason.
 */
public class QuicConsumer extends DefaultConsumer implements HttpRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QuicConsumer.class);
    /** HTTP/3 needs three peer-initiated unidirectional streams: control, QPACK encoder and decoder. */
    private static final int HTTP3_UNIDIRECTIONAL_STREAMS = 3;

    private ServerConnector server;
    private BearerToken token;

    public QuicConsumer(QuicEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public QuicEndpoint getEndpoint() {
        return (QuicEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        QuicConfiguration config = getEndpoint().getConfiguration();
        if (config.getCertFile() == null || config.getKeyFile() == null) {
            throw new JunctionException("the quic server on port " + config.getPort()
                    + " needs certFile and keyFile (TLS_CERT_FILE, TLS_KEY_FILE)");
        }
        token = config.getToken() == null || config.getToken().isBlank() ? null : new BearerToken(config.getToken());
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(config.getHost(), config.getPort()));
            // Bursts from a fast sender overflow the default buffer (~200 KB) and cost retransmissions; the kernel
            // caps this at net.core.rmem_max.
            socket.setReceiveBufferSize(8 * 1024 * 1024);
        } catch (SocketException e) {
            throw new JunctionException("UDP port " + config.getPort() + " on " + config.getHost()
                    + " is busy, so the quic server cannot start; stop what holds it or choose another port (WEB_PORT)");
        }
        ServerConnectionConfig connectionConfig = ServerConnectionConfig.builder()
                .maxIdleTimeoutInSeconds(config.getIdleTimeoutSeconds())
                .maxOpenPeerInitiatedUnidirectionalStreams(HTTP3_UNIDIRECTIONAL_STREAMS)
                .maxOpenPeerInitiatedBidirectionalStreams(100)
                .maxConnectionBufferSize(Math.max(16L * 1024 * 1024, 2 * config.getMaxBodyBytes()))
                .maxBidirectionalStreamBufferSize(Math.max(1024L * 1024, config.getMaxBodyBytes() + 65_536))
                .build();
        server = ServerConnector.builder()
                .withSocket(socket)
                .withKeyStore(TlsMaterial.keyStore(Path.of(config.getCertFile()), Path.of(config.getKeyFile()),
                                "TLS_CERT_FILE and TLS_KEY_FILE"),
                        TlsMaterial.KEY_ALIAS, TlsMaterial.keyPassword())
                .withConfiguration(connectionConfig)
                .withLogger(QuicTrace.logger("server"))
                .build();
        server.registerApplicationProtocol(Http3ApplicationProtocolFactory.HTTP3_PROTOCOL_ID,
                new Http3ApplicationProtocolFactory(this));
        server.start();
        LOG.info("HTTP/3 server listening on udp {}:{}", config.getHost(), config.getPort());
    }

    @Override
    public void handleRequest(HttpServerRequest request, HttpServerResponse response) throws IOException {
        if (token != null && !token.accepts(request.headers().firstValue("authorization"))) {
            reply(response, 401, "missing or wrong bearer token");
            return;
        }
        byte[] body = readAtMost(request.body(), getEndpoint().getConfiguration().getMaxBodyBytes());
        if (body == null) {
            reply(response, 413, "request body is larger than " + getEndpoint().getConfiguration().getMaxBodyBytes() + " bytes");
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            String path = request.path();
            int q = path.indexOf('?');
            exchange.getMessage().setHeader(QuicConstants.HTTP_METHOD, request.method());
            exchange.getMessage().setHeader(QuicConstants.HTTP_PATH, q < 0 ? path : path.substring(0, q));
            if (q >= 0) {
                exchange.getMessage().setHeader(QuicConstants.HTTP_QUERY, path.substring(q + 1));
            }
            request.headers().map().forEach((name, values) -> {
                // The token never reaches the route; pseudo-headers (":path") are already in the headers above.
                if (!name.equalsIgnoreCase("authorization") && !name.startsWith(":") && !values.isEmpty()) {
                    exchange.getMessage().setHeader(name.equalsIgnoreCase("content-type") ? QuicConstants.CONTENT_TYPE : name.toLowerCase(), values.get(0));
                }
            });
            exchange.getMessage().setBody(body);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                reply(response, 500, String.valueOf(exchange.getException().getMessage()));
                return;
            }
            int status = exchange.getMessage().getHeader(QuicConstants.HTTP_RESPONSE_CODE, 200, Integer.class);
            byte[] out = exchange.getMessage().getBody(byte[].class);
            String contentType = exchange.getMessage().getHeader(QuicConstants.CONTENT_TYPE, String.class);
            if (contentType != null) {
                response.addHeader("content-type", contentType);
            }
            response.setStatus(status);
            write(response, out);
        } catch (Exception e) {
            reply(response, 500, String.valueOf(e.getMessage()));
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** The whole body, or null when it is longer than {@code limit}. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65_536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > limit) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void reply(HttpServerResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.addHeader("content-type", "text/plain; charset=utf-8");
        write(response, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void write(HttpServerResponse response, byte[] body) throws IOException {
        try (OutputStream out = response.getOutputStream()) {
            if (body != null) {
                out.write(body);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        super.doStop();
    }
}
