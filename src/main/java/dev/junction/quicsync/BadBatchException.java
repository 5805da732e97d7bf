package dev.junction.quicsync;

/** A request body that is not a valid batch (answered 400), or one too large once decompressed (413). */
public class BadBatchException extends Exception {

    private final boolean tooLarge;

    public BadBatchException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    public boolean isTooLarge() {
        return tooLarge;
    }
}
