package dev.junction.support;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * One Kafka cluster that Junction talks to, with the client settings every producer, consumer and admin client of
 * that cluster is built from.
 * <p>
 * Settings come from configuration properties: {@code kafka.client.<property>} for every cluster (any Kafka client
 * property: {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...), then
 * {@code <cluster>.client.<property>} for one cluster, where the cluster is named by the prefix of its bootstrap
 * key ({@code quic-sync.source} for {@code quic-sync.source.bootstrap}), as MirrorMaker 2 does with
 * {@code source.}/{@code target.}. The default cluster is {@code kafka} ({@code kafka.bootstrap}).
 */
public final class KafkaCluster {

    /** The cluster of {@code kafka.bootstrap}; its own settings are the common ones. */
    public static final String DEFAULT = "kafka";
    /** Settings of every cluster. */
    public static final String COMMON_PREFIX = "kafka.client.";

    private final String name;
    private final String bootstrap;
    private final Map<String, String> settings;
    private final Map<String, String> settingKeys;

    private KafkaCluster(String name, String bootstrap, Map<String, String> settings, Map<String, String> settingKeys) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.settingKeys = settingKeys;
    }

    /** The cluster {@code name} at {@code bootstrap}, with its settings read from {@code properties}. */
    public static KafkaCluster of(String name, String bootstrap, Map<String, String> properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        collect(properties, COMMON_PREFIX, settings, keys);
        if (!DEFAULT.equals(name)) {
            collect(properties, clusterPrefix(name), settings, keys);
        }
        // The bootstrap key is the one place for the address: a client property of the same name does not override it.
        settings.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return new KafkaCluster(name, bootstrap, settings, keys);
    }

    /**
     * The cluster with its settings read from the Camel context's properties (placeholders resolved), and from
     * environment variables for those the properties leave unset: under {@code camel run} or Camel K nothing maps
     * {@code KAFKA_CLIENT_*} into properties first, as Junction's launcher does.
     */
    public static KafkaCluster of(String name, String bootstrap, CamelContext context) {
        String own = clusterPrefix(name);
        PropertiesComponent properties = context.getPropertiesComponent();
        Map<String, String> found = new LinkedHashMap<>(settingsFromEnvironment(System.getenv(), List.of(DEFAULT, name)));
        for (String key : properties.loadProperties(k -> k.startsWith(COMMON_PREFIX) || k.startsWith(own)).stringPropertyNames()) {
            properties.resolveProperty(key).filter(v -> !v.isBlank()).ifPresent(v -> found.put(key, v));
        }
        return of(name, bootstrap, found);
    }

    /** The client settings of the cluster {@code name} alone, without an address (for a client factory's clients). */
    public static Map<String, String> settings(String name, CamelContext context) {
        return of(name, "", context).settings();
    }

    /**
     * Client settings in environment variables, as properties: {@code KAFKA_CLIENT_SASL_JAAS_CONFIG} is
     * {@code kafka.client.sasl.jaas.config}, {@code QUIC_SYNC_SOURCE_CLIENT_SECURITY_PROTOCOL} is
     * {@code quic-sync.source.client.security.protocol} for the cluster {@code quic-sync.source}. Kafka's client
     * properties are lower-case words joined by dots, so the name maps back without ambiguity.
     */
    public static Map<String, String> settingsFromEnvironment(Map<String, String> env, Collection<String> clusters) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String cluster : clusters) {
            String prefix = clusterPrefix(cluster);
            String envPrefix = EnvironmentVariables.nameOf(prefix);
            env.forEach((variable, value) -> {
                if (variable.startsWith(envPrefix) && variable.length() > envPrefix.length()) {
                    String property = variable.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    settings.put(prefix + property, value.trim());
                }
            });
        }
        return settings;
    }

    /** The prefix of one cluster's own settings: {@code quic-sync.source.client.}. */
    public static String clusterPrefix(String name) {
        return DEFAULT.equals(name) ? COMMON_PREFIX : name + ".client.";
    }

    private static void collect(Map<String, String> properties, String prefix, Map<String, String> settings,
                                Map<String, String> keys) {
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length() && value != null && !value.isBlank()) {
                String property = key.substring(prefix.length());
                settings.put(property, value.trim());
                keys.put(property, key);
            }
        });
    }

    public String name() {
        return name;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The client settings beyond the bootstrap servers (what the user configured for this cluster). */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    /** Properties for a producer, consumer or admin client of this cluster: the bootstrap servers and the settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>(settings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /** As {@link #clientProperties()}, with the caller's own settings (acks, isolation level, ...) on top. */
    public Properties clientProperties(Map<String, ?> own) {
        Properties p = new Properties();
        p.putAll(clientProperties());
        p.putAll(own);
        return p;
    }

    /** Where a user sets {@code property} for this cluster, for error lines: the key in use, else the common key. */
    public String settingKey(String property) {
        return settingKeys.getOrDefault(property, COMMON_PREFIX + property);
    }

    /** "kafka.client.sasl.jaas.config (KAFKA_CLIENT_SASL_JAAS_CONFIG)". */
    public String settingHint(String property) {
        String key = settingKey(property);
        return key + " (" + EnvironmentVariables.nameOf(key) + ")";
    }

    /** "Kafka cluster 'kafka' at host:9093". */
    public String describe() {
        return "Kafka cluster '" + name + "' at " + bootstrap;
    }

    /**
     * The user's mistake behind {@code failure}, as one line naming this cluster and the setting to fix: a refused
     * login or an untrusted certificate. Empty when the failure is something else (the cluster down, say).
     */
    public Optional<JunctionException> userError(Throwable failure) {
        Optional<JunctionException> refusedLogin = Causes.find(failure, SaslAuthenticationException.class)
                .map(sasl -> new JunctionException(describe() + " refused the login (" + Causes.firstLine(sasl)
                        + "); check the user and password in " + settingHint("sasl.jaas.config") + " and "
                        + settingHint("sasl.mechanism"), failure));
        if (refusedLogin.isPresent()) {
            return refusedLogin;
        }
        return Causes.find(failure, SslAuthenticationException.class)
                .map(tls -> new JunctionException("the TLS handshake with " + describe() + " failed ("
                        + Causes.firstLine(Causes.root(tls)) + "); if the broker's certificate is not trusted, set "
                        + settingHint("ssl.truststore.location") + " or " + settingHint("ssl.truststore.certificates")
                        + " to its CA", failure));
    }

    @Override
    public String toString() {
        return describe();
    }
}
