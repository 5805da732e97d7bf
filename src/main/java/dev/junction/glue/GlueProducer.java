package dev.junction.glue;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Publishes the body (as bytes) to the endpoint's topic and type, to every peer subscribed now; header GluePeers says
 * to how many. With {@code state=true}: writes the body under header GlueKey in the topic's replicated state (a null
 * body removes the key). A publish may wait up to GLUE_MAX_BLOCKING_MILLISECONDS for a slow peer.
 */
public class GlueProducer extends DefaultProducer {

    private GlueNode node;

    GlueProducer(GlueEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public GlueEndpoint getEndpoint() {
        return (GlueEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        node = getEndpoint().getComponent().acquire();
    }

    @Override
    protected void doStop() throws Exception {
        if (node != null) {
            node = null;
            getEndpoint().getComponent().release();
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        GlueConfiguration config = getEndpoint().getConfiguration();
        Message in = exchange.getIn();
        if (config.isState()) {
            String key = in.getHeader(GlueConstants.KEY, String.class);
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("glue:" + config.getTopic() + "?state=true needs the key in header "
                        + GlueConstants.KEY);
            }
            byte[] value = in.getBody(byte[].class);
            if (value == null) {
                node.state(config.getTopic()).remove(key);
            } else {
                node.state(config.getTopic()).put(key, value);
            }
            return;
        }
        byte[] payload = in.getMandatoryBody(byte[].class);
        int peers = node.publish(config.getTopic(), config.getType(), Duration.ofMillis(config.getExpiry()), payload);
        in.setHeader(GlueConstants.PEERS, peers);
    }
}
