package dev.junction.quicsync;

import java.util.Map;

import dev.junction.quic.HostPort;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code quic-sync:host:port}: the sending side of quic-sync. Its consumer reads the source Kafka
 * cluster with a consumer of its own and posts the records to the quic-sync receiver at host:port over QUIC; each
 * batch the receiver confirmed is then an exchange of the route. The receiving side is the
 * {@link QuicSyncReceiver} processor behind a {@code quic:} server.
 */
@org.apache.camel.spi.annotations.Component("quic-sync")
public class QuicSyncComponent extends DefaultComponent {

    @Metadata(description = "The defaults of every quic-sync endpoint")
    private QuicSyncConfiguration configuration = new QuicSyncConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        QuicSyncConfiguration config = configuration.copy();
        HostPort path = HostPort.parse(remaining);
        if (path.host() != null) {
            config.setHost(path.host());
        }
        if (path.port() != null) {
            config.setPort(path.port());
        }
        QuicSyncEndpoint endpoint = new QuicSyncEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public QuicSyncConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(QuicSyncConfiguration configuration) {
        this.configuration = configuration;
    }
}
