package dev.junction.dbsync.plugin;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;
import dev.junction.infra.Server;

/** db-sync: a legacy MySQL/MariaDB film table and the catalogue microservice's table kept in sync, with a REST API. */
public final class DbSyncFlow implements JunctionFlow {

    @Override
    public String name() {
        return "db-sync";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("db-sync.camel.yaml", "catalogue-api.camel.yaml");
    }

    @Override
    public Set<Server> servers(JunctionConfig config) {
        Set<Server> servers = EnumSet.of(Server.KAFKA);
        if (config.getBoolean("db-sync.enabled")) {
            if (DbSyncDatabases.embeddedLegacy(config)) {
                servers.add(Server.MARIADB);
            }
            if (DbSyncDatabases.embeddedCatalogue(config)) {
                servers.add(Server.POSTGRESQL);
            }
        }
        return servers;
    }

    @Override
    public JunctionConfig configure(JunctionConfig config, Infrastructure infra) {
        return config.getBoolean("db-sync.enabled") ? DbSyncDatabases.resolve(config, infra) : config;
    }

    @Override
    public List<FlowCommand> commands() {
        return List.of(new DbSyncCommand());
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new DbSyncDemo());
    }
}
