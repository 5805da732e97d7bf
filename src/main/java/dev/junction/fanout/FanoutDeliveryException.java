package dev.junction.fanout;

/**
 * A delivery that did not end in an ACK: a NACK, no ACK within the ack timeout, or a dropped connection. The route's
 * error handler redelivers the record (to another client) and, after its last attempt, dead-letters it with this
 * message as the reason.
 */
public class FanoutDeliveryException extends Exception {

    public FanoutDeliveryException(String reason) {
        super(reason, null, false, false);
    }
}
