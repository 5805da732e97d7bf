package dev.junction.dbsync;

/** The legacy capture cannot go on without losing a change; thrown out of the Debezium engine to stop it. */
public final class CaptureStoppedException extends RuntimeException {

    public CaptureStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
