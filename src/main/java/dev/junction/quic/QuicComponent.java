package dev.junction.quic;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code quic:host:port}: REST over HTTP/3 (QUIC, TLS 1.3) on kwik and flupke. The consumer is an
 * HTTP/3 server, each request an exchange; the producer is an HTTP/3 client.
 */
@org.apache.camel.spi.annotations.Component("quic")
public class QuicComponent extends DefaultComponent {

    @Metadata(description = "The defaults of every quic endpoint")
    private QuicConfiguration configuration = new QuicConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        QuicConfiguration config = configuration.copy();
        HostPort path = HostPort.parse(remaining);
        if (path.host() != null) {
            config.setHost(path.host());
        }
        if (path.port() != null) {
            config.setPort(path.port());
        }
        QuicEndpoint endpoint = new QuicEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * A client endpoint built from {@code config} rather than a URI, for a component that owns its QUIC client (the
     * quic-sync sender). It is not in the context's registry: its owner starts and stops it.
     */
    public QuicEndpoint clientEndpoint(QuicConfiguration config) {
        return new QuicEndpoint("quic:" + config.getHost() + ":" + config.getPort(), this, config);
    }

    public QuicConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(QuicConfiguration configuration) {
        this.configuration = configuration;
    }
}
