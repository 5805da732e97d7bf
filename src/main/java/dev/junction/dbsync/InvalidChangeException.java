package dev.junction.dbsync;

/** A change that can never be applied on the other side (it breaks the target's rules): dead-lettered with the reason. */
public final class InvalidChangeException extends RuntimeException {

    public InvalidChangeException(String message) {
        super(message);
    }
}
