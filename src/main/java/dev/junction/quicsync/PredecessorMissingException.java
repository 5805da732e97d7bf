package dev.junction.quicsync;

/** A batch arrived before the batch it follows on the same partition, which did not come in time (HTTP 409). */
public class PredecessorMissingException extends Exception {

    public PredecessorMissingException(String message) {
        super(message);
    }
}
