package dev.junction.fanout;

import java.util.HashSet;
import java.util.Set;

import dev.junction.fanout.protocol.Frame;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * One record on its way to a client: the exchange it travels in, where it is now, and the clients that had it.
 * Used on the dispatcher's thread.
 */
final class Delivery {

    final Exchange exchange;
    final AsyncCallback callback;
    final String group;
    final Frame.Deliver record;
    /** The session numbers of the clients it was delivered to and that did not acknowledge it. */
    final Set<Long> tried = new HashSet<>();
    /** Deliveries that ended without an ACK. */
    int failures;
    ClientSession session;
    long sentAtNanos;

    Delivery(Exchange exchange, AsyncCallback callback, String group, Frame.Deliver record) {
        this.exchange = exchange;
        this.callback = callback;
        this.group = group;
        this.record = record;
    }
}
