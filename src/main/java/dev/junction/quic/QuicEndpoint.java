package dev.junction.quic;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** An HTTP/3 address: consume it to serve requests, send to it to make them. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "quic", title = "QUIC (HTTP/3)", syntax = "quic:host:port",
        category = {Category.NETWORKING, Category.HTTP}, headersClass = QuicConstants.class)
public class QuicEndpoint extends DefaultEndpoint {

    @UriParam
    private final QuicConfiguration configuration;

    QuicEndpoint(String uri, QuicComponent component, QuicConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public QuicConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        QuicConsumer consumer = new QuicConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        return new QuicProducer(this);
    }
}
