package dev.junction.support;

/**
 * A problem the user can fix (bad command, missing file, busy port, unreachable server). The launcher prints its
 * message as one line and exits with code 2, without a stack trace. The message says what, where, and how to fix.
 */
public class JunctionException extends RuntimeException {

    public JunctionException(String message) {
        super(message);
    }

    public JunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
