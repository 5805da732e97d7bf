package dev.junction.fanout;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * The records of one exchange, for a client group: the exchange completes when each of them was acknowledged,
 * given up on, or let go (this daemon stopped leading). Used on the dispatcher's thread.
 */
final class DeliveryBatch {

    final Exchange exchange;
    final AsyncCallback callback;
    final String group;
    final List<Delivery> deliveries = new ArrayList<>();
    /** Whether the exchange's body is the list of records (the consumer's batches), rather than one message. */
    final boolean listBody;
    private final List<FanoutRecord> failed = new ArrayList<>();
    private boolean abandoned;
    private int open;

    DeliveryBatch(Exchange exchange, AsyncCallback callback, String group, List<FanoutRecord> records, boolean listBody) {
        this.exchange = exchange;
        this.callback = callback;
        this.group = group;
        this.listBody = listBody;
        for (FanoutRecord record : records) {
            deliveries.add(new Delivery(this, record));
        }
        this.open = deliveries.size();
    }

    /** A client acknowledged one record; true when that was the batch's last open record. */
    boolean acknowledged() {
        return --open == 0;
    }

    /** No client acknowledged {@code record} in its last delivery; true when it was the batch's last open record. */
    boolean gaveUp(FanoutRecord record, String reason) {
        record.failed(reason);
        failed.add(record);
        return --open == 0;
    }

    /** Not the leader any more: the record stays uncommitted for the leader; true when it was the last open record. */
    boolean abandoned() {
        abandoned = true;
        return --open == 0;
    }

    /**
     * Sets the exchange's outcome once every record is settled: an exception when records were given up on (the
     * route's error handler dead-letters them: for a batch its body becomes those records), else a stop when
     * records were let go.
     */
    void settle() {
        if (!failed.isEmpty()) {
            if (listBody) {
                exchange.getMessage().setBody(List.copyOf(failed));
            }
            exchange.setException(new FanoutDeliveryException(failed.size() == 1 ? failed.get(0).getFailure()
                    : failed.size() + " records were not acknowledged; the first: " + failed.get(0).getFailure()));
        } else if (abandoned) {
            exchange.setRouteStop(true);
        }
    }
}
