package dev.junction.quic;

import dev.junction.support.JunctionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/3 server. Each request becomes an exchange (body = request bytes; headers CamelHttpMethod,
 * CamelHttpPath, CamelHttpQuery); the route's reply is the response (CamelHttpResponseCode, default 200).
 * Requests without the bearer token get 401 and bodies over maxBodyBytes 413, both before the route sees them;
 * a route that fails answers 500 with the reason. The transport option picks the QUIC stack
 * ({@link KwikHttp3Server} or {@link NativeHttp3Server}); both hand their requests to {@link #answer}.
 */
public class QuicConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QuicConsumer.class);

    private AutoCloseable server;
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
        server = config.isNativeTransport() ? new NativeHttp3Server(config, this, getEndpoint().getCamelContext())
                : new KwikHttp3Server(config, this);
        LOG.info("HTTP/3 server listening on udp {}:{} ({} transport)", config.getHost(), config.getPort(),
                config.isNativeTransport() ? "native" : "kwik");
    }

    static JunctionException portBusy(QuicConfiguration config) {
        return new JunctionException("UDP port " + config.getPort() + " on " + config.getHost()
                + " is busy, so the quic server cannot start; stop what holds it or choose another port (WEB_PORT)");
    }

    static QuicAnswer tooLarge(long maxBodyBytes) {
        return QuicAnswer.text(413, "request body is larger than " + maxBodyBytes + " bytes");
    }

    long maxBodyBytes() {
        return getEndpoint().getConfiguration().getMaxBodyBytes();
    }

    /** The 401 for a request whose authorization header (may be null) lacks the token; null when it may go on. */
    QuicAnswer refusal(String authorization) {
        return token != null && !token.accepts(java.util.Optional.ofNullable(authorization))
                ? QuicAnswer.text(401, "missing or wrong bearer token") : null;
    }

    /**
     * Runs the route for one request and returns its answer; never throws (an error is answered 500, an
     * OutOfMemoryError too, as well as it can be, and then thrown on).
     */
    QuicAnswer answer(QuicRequest request) {
        QuicAnswer refused = refusal(request.headers().get("authorization"));
        if (refused != null) {
            return refused;
        }
        Exchange exchange = createExchange(false);
        try {
            toExchange(request, exchange);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                return QuicAnswer.text(500, String.valueOf(exchange.getException().getMessage()));
            }
            Message out = exchange.getMessage();
            return new QuicAnswer(out.getHeader(QuicConstants.HTTP_RESPONSE_CODE, 200, Integer.class),
                    out.getHeader(QuicConstants.CONTENT_TYPE, String.class), out.getBody(byte[].class));
        } catch (Exception e) {
            return QuicAnswer.text(500, String.valueOf(e.getMessage()));
        } catch (OutOfMemoryError e) {
            LOG.error("HTTP/3 request {} {} ran out of memory", request.method(), request.path(), e);
            return QuicAnswer.text(500, "the server ran out of memory");
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void toExchange(QuicRequest request, Exchange exchange) {
        String path = request.path();
        int q = path.indexOf('?');
        Message in = exchange.getMessage();
        in.setHeader(QuicConstants.HTTP_METHOD, request.method());
        in.setHeader(QuicConstants.HTTP_PATH, q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            in.setHeader(QuicConstants.HTTP_QUERY, path.substring(q + 1));
        }
        // The token never reaches the route.
        request.headers().forEach((name, value) -> {
            if (!name.equals("authorization")) {
                in.setHeader(name.equals("content-type") ? QuicConstants.CONTENT_TYPE : name, value);
            }
        });
        in.setBody(request.body());
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
