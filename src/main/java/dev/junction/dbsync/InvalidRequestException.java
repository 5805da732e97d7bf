package dev.junction.dbsync;

import java.util.List;

/** A request the API refuses with 400: one message per field that is wrong. */
public final class InvalidRequestException extends RuntimeException {

    private final List<String> errors;

    public InvalidRequestException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
