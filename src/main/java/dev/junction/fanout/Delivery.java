package dev.junction.fanout;

import java.util.HashSet;
import java.util.Set;

/**
 * One record on its way to a client: the batch (exchange) it belongs to, where it is now, and the clients that had
 * it. Used on the dispatcher's thread.
 */
final class Delivery {

    final DeliveryBatch batch;
    final FanoutRecord record;
    /** The session numbers of the clients it was delivered to and that did not acknowledge it. */
    final Set<Long> tried = new HashSet<>();
    /** Deliveries that ended without an ACK. */
    int failures;
    ClientSession session;
    long sentAtNanos;

    Delivery(DeliveryBatch batch, FanoutRecord record) {
        this.batch = batch;
        this.record = record;
    }
}
