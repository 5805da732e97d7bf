package dev.junction.outbox.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;
import dev.junction.infra.Server;
import dev.junction.runtime.RouteFiles;

/** outbox-relay: a transactional outbox table (PostgreSQL, MySQL/MariaDB) published to Kafka. */
public final class OutboxFlow implements JunctionFlow {

    @Override
    public String name() {
        return "outbox-relay";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("outbox-relay.camel.yaml", "outbox-maintenance.camel.yaml");
    }

    /** Any route file that uses the {@code outbox:} component needs the outbox database, the user's own included. */
    @Override
    public boolean isUsedBy(List<Path> loadedRouteFiles) {
        return RouteFiles.mention(loadedRouteFiles, "outbox:");
    }

    @Override
    public Set<Server> servers(JunctionConfig config) {
        return OutboxDatabaseSettings.configured(config) ? Set.of(Server.KAFKA) : Set.of(Server.KAFKA, Server.POSTGRESQL);
    }

    @Override
    public JunctionConfig configure(JunctionConfig config, Infrastructure infra) {
        return OutboxDatabaseSettings.resolve(config, infra);
    }

    @Override
    public List<FlowCommand> commands() {
        return List.copyOf(OutboxCommand.ALL);
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new OutboxDemo());
    }
}
