package dev.junction.support;

import java.util.Optional;

/** A failure's chain of causes: the one of a given type in it, its root, and what a user reads of one. */
public final class Causes {

    private Causes() {
    }

    /** The first throwable of {@code type} in {@code failure}'s chain, the failure itself included. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** The last cause in {@code failure}'s chain (the failure itself when it has none). */
    public static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first line of {@code t}'s message, or its class name when it has none. */
    public static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
