package dev.junction.fanout;

import java.util.List;

import dev.junction.fanout.protocol.Frame;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Delivers the exchange's body to one client of the daemon and completes the exchange, without blocking a thread,
 * when that client acknowledges it; fails it with {@link FanoutDeliveryException} otherwise (the route's error
 * handler then redelivers it).
 */
public class FanoutProducer extends DefaultAsyncProducer {

    private volatile FanoutService service;

    FanoutProducer(FanoutEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public FanoutEndpoint getEndpoint() {
        return (FanoutEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStop() throws Exception {
        if (service != null) {
            getEndpoint().getComponent().release(service);
            service = null;
        }
        super.doStop();
    }

    /**
     * The daemon, taken at the first exchange rather than at start: Camel starts a route's producers before its
     * consumer, and the consumer's endpoint carries the daemon's settings (topic, token, advertised address).
     */
    private FanoutService service() {
        FanoutService s = service;
        if (s == null) {
            synchronized (this) {
                if (service == null) {
                    service = getEndpoint().getComponent().acquire(getEndpoint().getConfiguration());
                }
                s = service;
            }
        }
        return s;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<Frame.Header> headers = message.getHeader(FanoutConstants.RECORD_HEADERS, List.class);
        Frame.Deliver record = new Frame.Deliver(0,
                message.getHeader(FanoutConstants.TOPIC, "", String.class),
                message.getHeader(FanoutConstants.PARTITION, -1, Integer.class),
                message.getHeader(FanoutConstants.OFFSET, -1L, Long.class), 0,
                message.getHeader(FanoutConstants.KEY, byte[].class),
                headers == null ? List.of() : headers,
                message.getBody(byte[].class));
        String group = getEndpoint().getConfiguration().getGroup();
        service().dispatcher().submit(new Delivery(exchange, callback, group == null ? "" : group, record));
        return false;
    }
}
