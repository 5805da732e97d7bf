package dev.junction.outbox;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code outbox:TABLE}. The consumer is the relay (outbox table → Kafka); the producer runs
 * maintenance operations ({@code operation=cleanup|optimize|requeue|skip|failed|init-schema}). Options set on the
 * component ({@code camel.component.outbox.url=...}) are the defaults of every endpoint.
 */
@org.apache.camel.spi.annotations.Component("outbox")
public class OutboxComponent extends DefaultComponent {

    private OutboxConfiguration configuration = new OutboxConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        OutboxConfiguration config = configuration.copy();
        if (!remaining.isBlank()) {
            config.setTable(remaining);
        }
        OutboxEndpoint endpoint = new OutboxEndpoint(uri, this, config);
        setProperties(config, parameters);
        return endpoint;
    }

    public OutboxConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(OutboxConfiguration configuration) {
        this.configuration = configuration;
    }

    // Component-level defaults, bound from camel.component.outbox.*
    public void setUrl(String url) { configuration.setUrl(url); }
    public String getUrl() { return configuration.getUrl(); }
    public void setUser(String user) { configuration.setUser(user); }
    public String getUser() { return configuration.getUser(); }
    public void setPassword(String password) { configuration.setPassword(password); }
    public String getPassword() { return configuration.getPassword(); }
    public void setBrokers(String brokers) { configuration.setBrokers(brokers); }
    public String getBrokers() { return configuration.getBrokers(); }
    public void setTable(String table) { configuration.setTable(table); }
    public String getTable() { return configuration.getTable(); }
}
