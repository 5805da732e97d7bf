package dev.junction.glue;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** A glue topic: consume it to subscribe, send to it to publish (brokerless, over UDP on the LAN). */
@UriEndpoint(firstVersion = "0.1.0", scheme = "glue", title = "Glue", syntax = "glue:topic",
        category = {Category.MESSAGING, Category.NETWORKING}, headersClass = GlueConstants.class)
public class GlueEndpoint extends DefaultEndpoint {

    @UriParam
    private final GlueConfiguration configuration;

    GlueEndpoint(String uri, GlueComponent component, GlueConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public GlueConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public GlueComponent getComponent() {
        return (GlueComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        GlueConsumer consumer = new GlueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        return new GlueProducer(this);
    }
}
