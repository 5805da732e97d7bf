package dev.junction.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Ports;
import dev.junction.observe.KafkaClusterHealthCheck;
import dev.junction.support.Causes;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;

/**
 * One running Camel Main with the user's YAML route files, loaded from disk at start (and, with reload, again
 * whenever one changes). Every value of the {@link JunctionConfig} is handed to Camel as an override property.
 */
public final class JunctionRuntime implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JunctionRuntime.class);

    private final Main main;
    private final KafkaClusterHealthCheck kafkaHealth;

    private JunctionRuntime(Main main, KafkaClusterHealthCheck kafkaHealth) {
        this.main = main;
        this.kafkaHealth = kafkaHealth;
    }

    /** Starts Camel with {@code routeFiles}; {@code config} must already hold {@code kafka.bootstrap}. */
    public static JunctionRuntime start(JunctionConfig config, List<Path> routeFiles, boolean reload) {
        checkManagementPort(config);
        Properties props = config.asProperties();
        props.setProperty("camel.main.routesIncludePattern", routeFiles.stream()
                .map(p -> "file:" + p.toAbsolutePath()).collect(Collectors.joining(",")));
        if (reload) {
            props.setProperty("camel.main.routesReloadEnabled", "true");
            props.setProperty("camel.main.routesReloadDirectory", reloadDirectory(routeFiles).toString());
            // Only the selected files are watched, and a change replaces only the routes of the changed file.
            props.setProperty("camel.main.routesReloadPattern", routeFiles.stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.joining(",")));
            props.setProperty("camel.main.routesReloadRemoveAllRoutes", "false");
        }
        Main main = new Main();
        // No hangup interceptor: Junction's own shutdown hook stops the routes, then the embedded servers; a second
        // hook stopping the same Main at the same time could deadlock the JVM's exit.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.setOverrideProperties(props);
        KafkaClusterHealthCheck kafkaHealth = new KafkaClusterHealthCheck(config.kafkaCluster(KafkaCluster.DEFAULT),
                Duration.ofMillis(config.getInt("junction.health.kafka-timeout-ms")));
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            // A component that already said what is wrong (JunctionException) is passed on as it is.
            Causes.find(e, JunctionException.class).ifPresent(user -> {
                throw user;
            });
            LOG.debug("Routes did not start", e);
            throw new JunctionException("the routes did not start: " + rootMessage(e)
                    + "; fix the route file or the configuration and start again", e);
        }
        HealthCheckRegistry.get(main.getCamelContext()).register(kafkaHealth);
        // Camel's own start-up lines are below the console's level: this one says what runs and where to look.
        LOG.info("Junction started {} route(s) from {} file(s) on Kafka at {}{}", main.getCamelContext().getRoutes().size(),
                routeFiles.size(), config.get("kafka.bootstrap"), managementUrl(config)
                        .map(base -> "; health " + base + "/observe/health, metrics " + base + "/observe/metrics").orElse(""));
        return new JunctionRuntime(main, kafkaHealth);
    }

    private static void checkManagementPort(JunctionConfig config) {
        if (!config.getBoolean("camel.management.enabled")) {
            return;
        }
        String host = config.find("camel.management.host").orElse("0.0.0.0");
        int port = config.getInt("camel.management.port");
        if (Ports.isBusy(host, port)) {
            throw new JunctionException("port " + port + " on " + host + " is busy, so the management server "
                    + "(health, metrics) cannot start; stop what holds it or set CAMEL_MANAGEMENT_PORT to a free port");
        }
    }

    /** Where the management server (health, metrics) answers, when it is on. */
    public static Optional<String> managementUrl(JunctionConfig config) {
        if (!config.getBoolean("camel.management.enabled")) {
            return Optional.empty();
        }
        return Optional.of("http://localhost:" + config.get("camel.management.port"));
    }

    private static Path reloadDirectory(List<Path> routeFiles) {
        Path dir = routeFiles.get(0).toAbsolutePath().getParent();
        for (Path file : routeFiles) {
            if (!file.toAbsolutePath().getParent().equals(dir)) {
                throw new JunctionException("--reload watches one directory, but the route files are in "
                        + dir + " and " + file.getParent() + "; put them in one directory");
            }
        }
        return dir;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = Causes.root(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
        kafkaHealth.close();
    }
}
