package dev.junction.outbox;

/** A row that can never be published as it is (bad topic name, too large, unparsable headers). */
final class PoisonRowException extends Exception {

    PoisonRowException(String message) {
        super(message);
    }
}
