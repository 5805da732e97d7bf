package dev.junction.fanout;


import dev.junction.fanout.protocol.Frame;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/** One record on its way to a client: the exchange it travels in, and where it is now. Used on the dispatcher's thread. */
final class Delivery {

    final Exchange exchange;
    final AsyncCallback callback;
    final String group;
    final Frame.Deliver record;
    ClientSession session;
    long sentAtNanos;

    Delivery(Exchange exchange, AsyncCallback callback, String group, Frame.Deliver record) {
        this.exchange = exchange;
        this.callback = callback;
        this.group = group;
        this.record = record;
    }
}
