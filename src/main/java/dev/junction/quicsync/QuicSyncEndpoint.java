package dev.junction.quicsync;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** A quic-sync receiver to mirror to: consume it to send the source cluster's records there. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "quic-sync", title = "quic-sync sender", syntax = "quic-sync:host:port",
        consumerOnly = true, category = {Category.MESSAGING, Category.NETWORKING}, headersClass = QuicSyncConstants.class)
public class QuicSyncEndpoint extends DefaultEndpoint {

    @UriParam
    private final QuicSyncConfiguration configuration;

    QuicSyncEndpoint(String uri, QuicSyncComponent component, QuicSyncConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public QuicSyncConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        QuicSyncConsumer consumer = new QuicSyncConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("quic-sync: is a consumer (the sender); the receiver is a quic: server"
                + " with the quicSyncReceiver processor (routes/quic-sync-receiver.camel.yaml)");
    }
}
