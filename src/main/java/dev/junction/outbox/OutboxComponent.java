package dev.junction.outbox;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code outbox:TABLE}. The consumer is the relay (outbox table → Kafka); the producer runs
 * maintenance operations ({@code operation=cleanup|optimize|requeue|skip|failed|init-schema}). Options set on the
 * component ({@code camel.component.outbox.url=...}) are the defaults of every endpoint.
 */
@org.apache.camel.spi.annotations.Component("outbox")
public class OutboxComponent extends DefaultComponent {

    @Metadata(description = "The defaults of every outbox endpoint")
    private OutboxConfiguration configuration = new OutboxConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        OutboxConfiguration config = configuration.copy();
        if (!remaining.isBlank()) {
            config.setTable(remaining);
        }
        OutboxEndpoint endpoint = new OutboxEndpoint(uri, this, config);
        setProperties(endpoint, parameters); // through the generated OutboxEndpointConfigurer
        return endpoint;
    }

    public OutboxConfiguration getConfiguration() {
        return configuration;
    }

    /** The defaults of every outbox endpoint (camel.component.outbox.url=..., .user, .brokers, ...). */
    public void setConfiguration(OutboxConfiguration configuration) {
        this.configuration = configuration;
    }
}
