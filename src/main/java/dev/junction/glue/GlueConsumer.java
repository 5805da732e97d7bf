package dev.junction.glue;

import dev.junction.glue.model.StateEntry;
import dev.junction.glue.topics.GlueMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Subscribes to the endpoint's topic and type: one exchange per message (body: the payload as bytes), routed on the
 * glue endpoint's delivery thread, so in order per publisher. With {@code state=true}: one exchange per write that
 * changed the topic's replicated state here (header GlueKey, body the value, null when removed).
 */
public class GlueConsumer extends DefaultConsumer {

    private GlueNode node;
    private GlueSubscription subscription;

    GlueConsumer(GlueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public GlueEndpoint getEndpoint() {
        return (GlueEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GlueConfiguration config = getEndpoint().getConfiguration();
        node = getEndpoint().getComponent().acquire();
        if (config.isState()) {
            subscription = node.state(config.getTopic()).onChange(this::changed);
        } else {
            subscription = node.subscribe(config.getTopic(), config.getType(), this::received);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
            getEndpoint().getComponent().release();
        }
        super.doStop();
    }

    private void received(GlueMessage m) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(m.payload());
        in.setHeader(GlueConstants.TOPIC, m.topic());
        in.setHeader(GlueConstants.TYPE, m.type());
        in.setHeader(GlueConstants.PUBLISHER, m.endpointName());
        in.setHeader(GlueConstants.EXPIRES_AT, m.expiresAt());
        route(exchange);
    }

    private void changed(StateEntry write) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(write.value());
        in.setHeader(GlueConstants.TOPIC, getEndpoint().getConfiguration().getTopic());
        in.setHeader(GlueConstants.KEY, write.key());
        in.setHeader(GlueConstants.REMOVED, write.removed());
        in.setHeader(GlueConstants.TIMESTAMP, write.timestamp());
        route(exchange);
    }

    private void route(Exchange exchange) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("glue: routing a message of " + getEndpoint().getConfiguration().getTopic()
                    + " failed", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
