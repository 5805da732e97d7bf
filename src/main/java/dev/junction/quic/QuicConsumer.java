package dev.junction.quic;

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
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;
import tech.kwik.flupke.impl.MaxDataSizeExceededException;
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
    public void handleRequest(HttpServerRequest request, HttpServerResponse response) {
        Reply reply = new Reply(response);
        if (token != null && !token.accepts(request.headers().firstValue("authorization"))) {
            reply.text(401, "missing or wrong bearer token");
            return;
        }
        long maxBodyBytes = getEndpoint().getConfiguration().getMaxBodyBytes();
        byte[] body;
        try {
            body = readAtMost(request.body(), maxBodyBytes);
        } catch (MaxDataSizeExceededException e) {
            body = null; // over flupke's own limit, before ours
        } catch (IOException e) {
            // The client reset its stream (or the connection went) mid-body: the answer reaches it only if it still listens.
            LOG.debug("HTTP/3 request {} {} ended before its body did: {}", request.method(), request.path(), e.getMessage());
            reply.text(400, "the request body ended early: " + e.getMessage());
            return;
        }
        if (body == null) {
            reply.text(413, "request body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            toExchange(request, body, exchange);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                reply.text(500, String.valueOf(exchange.getException().getMessage()));
                return;
            }
            Message out = exchange.getMessage();
            reply.send(out.getHeader(QuicConstants.HTTP_RESPONSE_CODE, 200, Integer.class),
                    out.getHeader(QuicConstants.CONTENT_TYPE, String.class), out.getBody(byte[].class));
        } catch (Exception | Error e) {
            // Every request is answered, an error too (an OutOfMemoryError is answered as well as it can be).
            reply.text(500, String.valueOf(e.getMessage()));
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void toExchange(HttpServerRequest request, byte[] body, Exchange exchange) {
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
    }

    /**
     * The whole body, or null when it is longer than {@code limit}. One array of the announced size when the body is
     * within the limit (no growing buffer to copy from).
     */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        return in.read() == -1 ? body : null;
    }

    /**
     * The response to one request, sent once. A client that resets its stream while the response is written gets
     * nothing more (the status cannot change once the body has begun), and that is logged, not thrown.
     */
    private static final class Reply {

        private final HttpServerResponse response;
        private boolean started;

        Reply(HttpServerResponse response) {
            this.response = response;
        }

        void text(int status, String message) {
            send(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void send(int status, String contentType, byte[] body) {
            if (started) {
                return;
            }
            started = true;
            try {
                response.setStatus(status);
                if (contentType != null) {
                    response.addHeader("content-type", contentType);
                }
                try (OutputStream out = response.getOutputStream()) {
                    if (body != null) {
                        out.write(body);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("HTTP/3 response {} not delivered (the client reset its stream?): {}", status, e.getMessage());
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
