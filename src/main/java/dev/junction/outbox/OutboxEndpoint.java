package dev.junction.outbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** An outbox table: consume it to relay it to Kafka, or send to it to run a maintenance operation. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "outbox", title = "Outbox", syntax = "outbox:table",
        category = {Category.DATABASE, Category.MESSAGING}, headersClass = OutboxConstants.class)
public class OutboxEndpoint extends DefaultEndpoint {

    @UriParam
    private final OutboxConfiguration configuration;

    OutboxEndpoint(String uri, OutboxComponent component, OutboxConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public OutboxConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OutboxConsumer consumer = new OutboxConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        return new OutboxProducer(this);
    }
}
