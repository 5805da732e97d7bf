package dev.junction.support;

import java.util.Locale;

/** Camel's mapping between a property key and its environment variable: upper case, dots and dashes as underscores. */
public final class EnvironmentVariables {

    private EnvironmentVariables() {
    }

    /** {@code kafka.bootstrap} → {@code KAFKA_BOOTSTRAP}. */
    public static String nameOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
