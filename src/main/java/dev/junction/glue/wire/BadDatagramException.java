package dev.junction.glue.wire;

/** A datagram that was refused, and why; the network layer counts it and drops it. */
public final class BadDatagramException extends Exception {

    private final DropReason reason;

    public BadDatagramException(DropReason reason, String message) {
        super(message, null, false, false); // dropped datagrams are counted, not traced: no stack trace to fill
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
