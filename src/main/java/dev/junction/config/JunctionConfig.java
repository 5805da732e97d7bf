package dev.junction.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import dev.junction.support.EnvironmentVariables;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;

/**
 * Junction's effective configuration: {@code application.properties} from the classpath, each key overridden by
 * the environment variable of the same name in Camel's mapping ({@code kafka.bootstrap} ← {@code KAFKA_BOOTSTRAP}),
 * then by explicit overrides (command-line {@code --property}, tests).
 * <p>
 * The launcher reads it before Camel starts (to decide what to start) and hands every value to Camel as override
 * properties, so routes see exactly the same values.
 */
public final class JunctionConfig {

    private final Map<String, String> values;

    private JunctionConfig(Map<String, String> values) {
        this.values = values;
    }

    public static JunctionConfig load(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties defaults = new Properties();
        try (InputStream in = JunctionConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        for (String key : defaults.stringPropertyNames()) {
            values.put(key, defaults.getProperty(key).trim());
        }
        for (String key : defaults.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
            }
        }
        values.putAll(clientSettingsFromEnv(env, defaults.stringPropertyNames()));
        values.putAll(overrides);
        return new JunctionConfig(values);
    }

    /** Kafka client settings from the environment, for every cluster named by a {@code <cluster>.bootstrap} key. */
    private static Map<String, String> clientSettingsFromEnv(Map<String, String> env, Set<String> knownKeys) {
        List<String> clusters = knownKeys.stream().filter(k -> k.endsWith(".bootstrap"))
                .map(k -> k.substring(0, k.length() - ".bootstrap".length())).toList();
        return KafkaCluster.settingsFromEnvironment(env, clusters);
    }

    /** Camel's environment variable name for a property key: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return EnvironmentVariables.nameOf(key);
    }

    /** The value, or empty when the key is missing or blank. */
    public Optional<String> find(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException("configuration key " + key + " has no value"));
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new JunctionException(key + "=" + value + " is not a whole number; set "
                    + envName(key) + " to a number");
        }
    }

    /** A copy with one more value set (the launcher adds what it started, such as the embedded broker's address). */
    public JunctionConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new JunctionConfig(copy);
    }

    /**
     * The Kafka cluster of {@code <name>.bootstrap} with its client settings ({@code kafka.client.*}, then
     * {@code <name>.client.*}). A bootstrap value that is a placeholder ({@code {{kafka.bootstrap}}}) is followed.
     */
    public KafkaCluster kafkaCluster(String name) {
        String bootstrap = get(name + ".bootstrap");
        for (int depth = 0; bootstrap.startsWith("{{") && bootstrap.endsWith("}}"); depth++) {
            if (depth == 10) {
                throw new JunctionException(name + ".bootstrap refers to itself through placeholders; set "
                        + envName(name + ".bootstrap") + " to host:port");
            }
            bootstrap = get(bootstrap.substring(2, bootstrap.length() - 2));
        }
        return KafkaCluster.of(name, bootstrap, values);
    }

    /** True when the key is set to {@code true} (an unset key is false). */
    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(find(key).orElse("false"));
    }

    public Properties asProperties() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        return p;
    }
}
