package dev.junction.fanout;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** A fanout daemon: consume it to read its Kafka topic, send to it to deliver to one of its clients. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fanout", title = "Fanout", syntax = "fanout:id",
        category = {Category.MESSAGING}, headersClass = FanoutConstants.class)
public class FanoutEndpoint extends DefaultEndpoint {

    @UriParam
    private final FanoutConfiguration configuration;

    FanoutEndpoint(String uri, FanoutComponent component, FanoutConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public FanoutConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public FanoutComponent getComponent() {
        return (FanoutComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FanoutConsumer consumer = new FanoutConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        return new FanoutProducer(this);
    }
}
