package dev.junction.fanout;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code fanout:ID}. The consumer reads a Kafka topic and leads (or follows) the daemons of that id;
 * the producer delivers each exchange to one connected client and completes it when the client acknowledges.
 * Options set on the component ({@code camel.component.fanout.port=...}) are the defaults of every endpoint.
 */
@org.apache.camel.spi.annotations.Component("fanout")
public class FanoutComponent extends DefaultComponent {

    @Metadata(description = "The defaults of every fanout endpoint")
    private FanoutConfiguration configuration = new FanoutConfiguration();
    private final Map<String, Shared> services = new HashMap<>();

    /** A daemon and how many started endpoints use it. */
    private static final class Shared {
        final FanoutService service;
        int users;

        Shared(FanoutService service) {
            this.service = service;
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FanoutConfiguration config = configuration.copy();
        config.setId(remaining);
        FanoutEndpoint endpoint = new FanoutEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The daemon of {@code config}'s id, started by the first endpoint that needs it. */
    synchronized FanoutService acquire(FanoutConfiguration config) {
        Shared shared = services.computeIfAbsent(config.getId(), id -> new Shared(FanoutService.start(config)));
        shared.users++;
        return shared.service;
    }

    /** Stops the daemon when its last endpoint stops. */
    synchronized void release(FanoutService service) {
        Shared shared = services.get(service.configuration().getId());
        if (shared != null && shared.service == service && --shared.users == 0) {
            services.remove(service.configuration().getId());
            service.close();
        }
    }

    /** The running daemon of {@code id}, or null (for health checks, the demo and tests). */
    public synchronized FanoutService service(String id) {
        Shared shared = services.get(id);
        return shared == null ? null : shared.service;
    }

    public FanoutConfiguration getConfiguration() {
        return configuration;
    }

    /** The defaults of every fanout endpoint (camel.component.fanout.port=..., .brokers, ...). */
    public void setConfiguration(FanoutConfiguration configuration) {
        this.configuration = configuration;
    }
}
