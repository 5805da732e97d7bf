package dev.junction.fanout;

import java.util.List;

import dev.junction.fanout.protocol.Frame;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Delivers the exchange's records to the clients of the daemon, without blocking a thread: a {@code List} of
 * {@link FanoutRecord}s (the fanout consumer's batches), or any other message as one record. The exchange
 * completes when a client acknowledged each record; it fails with {@link FanoutDeliveryException} when records
 * found no client that acknowledged them within {@code maxRedeliveries} further deliveries.
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
        String group = getEndpoint().getConfiguration().getGroup();
        group = group == null ? "" : group;
        List<FanoutRecord> records = FanoutRecord.batch(message.getBody());
        DeliveryBatch batch;
        if (records != null) {
            batch = new DeliveryBatch(exchange, callback, group, records, true);
        } else {
            batch = new DeliveryBatch(exchange, callback, group, List.of(single(message)), false);
        }
        service().dispatcher().submit(batch);
        return false;
    }

    /** A message of another route (the Kamelet's, say): one record, from the headers the fanout consumer also uses. */
    private static FanoutRecord single(Message message) {
        if (message.getBody() instanceof FanoutRecord record) {
            return record;
        }
        @SuppressWarnings("unchecked")
        List<Frame.Header> headers = message.getHeader(FanoutConstants.RECORD_HEADERS, List.class);
        return new FanoutRecord(message.getHeader(FanoutConstants.TOPIC, "", String.class),
                message.getHeader(FanoutConstants.PARTITION, -1, Integer.class),
                message.getHeader(FanoutConstants.OFFSET, -1L, Long.class),
                message.getHeader(FanoutConstants.KEY, byte[].class), headers, message.getBody(byte[].class));
    }
}
