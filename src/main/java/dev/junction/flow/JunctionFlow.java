package dev.junction.flow;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Infrastructure;
import dev.junction.infra.Server;

/**
 * One flow of Junction (heartbeat, outbox-relay, quic-sync, ...) as the launcher and the demo see it. A flow
 * registers its implementation in {@code META-INF/services/dev.junction.flow.JunctionFlow}; the launcher finds it
 * with {@link Flows#discover()} and holds no code of its own for any flow.
 * <p>
 * Implementations live in the flow's own {@code plugin} package: the flow's Camel components never import them.
 */
public interface JunctionFlow {

    /** The flow's name: its row in the demo and the {@code flow} tag of its metrics. */
    String name();

    /** The route files of this flow under {@code routes/} (file names, e.g. {@code outbox-relay.camel.yaml}). */
    List<String> routeFiles();

    /** True when the loaded route files use this flow; by default when one of its own files is among them. */
    default boolean isUsedBy(List<Path> loadedRouteFiles) {
        return loadedRouteFiles.stream().anyMatch(p -> routeFiles().contains(p.getFileName().toString()));
    }

    /**
     * The servers this flow needs with {@code config}. Kafka is the configured cluster or the embedded broker; a
     * database asked for here is the embedded one (a flow with a configured database does not ask for one).
     */
    default Set<Server> servers(JunctionConfig config) {
        return Set.of(Server.KAFKA);
    }

    /**
     * Fills in what the routes need from the servers started for the flow (a JDBC URL, say). Called by
     * {@code run} and {@code demo} before the routes start; {@code config} already holds {@code kafka.bootstrap}.
     */
    default JunctionConfig configure(JunctionConfig config, Infrastructure infra) {
        return config;
    }

    /** Commands of this flow's own ({@code java -jar junction.jar <name> ...}), shown by {@code help}. */
    default List<FlowCommand> commands() {
        return List.of();
    }

    /** The flow's part of the demo: a new one per demo run, or empty when the demo needs nothing beyond its routes. */
    default Optional<FlowDemo> demo() {
        return Optional.empty();
    }
}
