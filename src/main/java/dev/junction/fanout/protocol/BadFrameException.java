package dev.junction.fanout.protocol;

/** A frame that breaks the protocol: the connection that sent it is closed with this reason. */
public class BadFrameException extends RuntimeException {

    public BadFrameException(String reason) {
        super(reason);
    }
}
