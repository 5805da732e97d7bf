package dev.junction.quic;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.junction.support.JunctionException;
import dev.junction.support.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;
import tech.kwik.flupke.impl.MaxDataSizeExceededException;
import tech.kwik.flupke.server.Http3ApplicationProtocolFactory;
import tech.kwik.flupke.server.HttpRequestHandler;
import tech.kwik.flupke.server.HttpServerRequest;
import tech.kwik.flupke.server.HttpServerResponse;

/** The consumer's HTTP/3 server on kwik and flupke (pure Java; NewReno congestion control). */
final class KwikHttp3Server implements HttpRequestHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KwikHttp3Server.class);
    /** HTTP/3 needs three peer-initiated unidirectional streams: control, QPACK encoder and decoder. */
    private static final int HTTP3_UNIDIRECTIONAL_STREAMS = 3;

    private final QuicConsumer consumer;
    private final ServerConnector server;

    KwikHttp3Server(QuicConfiguration config, QuicConsumer consumer) throws Exception {
        this.consumer = consumer;
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(config.getHost(), config.getPort()));
            // Bursts from a fast sender overflow the default buffer (~200 KB) and cost retransmissions; the kernel
            // caps this at net.core.rmem_max.
            socket.setReceiveBufferSize(8 * 1024 * 1024);
        } catch (SocketException e) {
            throw QuicConsumer.portBusy(config);
        }
        if (config.getClientTrustCertFile() != null && !config.getClientTrustCertFile().isBlank()) {
            socket.close();
            throw new JunctionException("the kwik transport cannot ask for client certificates; use transport=native for"
                    + " clientTrustCertFile (mutual TLS)");
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
    }

    @Override
    public void handleRequest(HttpServerRequest request, HttpServerResponse response) {
        Reply reply = new Reply(response);
        QuicAnswer refused = consumer.refusal(request.headers().firstValue("authorization").orElse(null));
        if (refused != null) {
            reply.send(refused); // before the body is read
            return;
        }
        long maxBodyBytes = consumer.maxBodyBytes();
        byte[] body;
        try {
            body = readAtMost(request.body(), maxBodyBytes);
        } catch (MaxDataSizeExceededException e) {
            body = null; // over flupke's own limit, before ours
        } catch (IOException e) {
            // The client reset its stream (or the connection went) mid-body: the answer reaches it only if it still listens.
            LOG.debug("HTTP/3 request {} {} ended before its body did: {}", request.method(), request.path(), e.getMessage());
            reply.send(QuicAnswer.text(400, "the request body ended early: " + e.getMessage()));
            return;
        }
        if (body == null) {
            reply.send(QuicConsumer.tooLarge(maxBodyBytes));
            return;
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) {
                headers.put(name.toLowerCase(), values.get(0));
            }
        });
        reply.send(consumer.answer(new QuicRequest(request.method(), request.path(), headers, body)));
    }

    /**
     * The whole body, or null when it is longer than {@code limit}. One array of the size received (no growing
     * buffer to copy from).
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
        private boolean sent;

        Reply(HttpServerResponse response) {
            this.response = response;
        }

        void send(QuicAnswer answer) {
            if (sent) {
                return;
            }
            sent = true;
            try {
                response.setStatus(answer.status());
                if (answer.contentType() != null) {
                    response.addHeader("content-type", answer.contentType());
                }
                try (OutputStream out = response.getOutputStream()) {
                    if (answer.body() != null) {
                        out.write(answer.body());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("HTTP/3 response {} not delivered (the client reset its stream?): {}", answer.status(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
