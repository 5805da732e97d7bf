package dev.junction.dbsync.plugin;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.infra.Infrastructure;
import dev.junction.support.JunctionException;

/**
 * {@code db-sync}: runs db-sync and its catalogue API until Ctrl-C (routes/db-sync.camel.yaml and
 * routes/catalogue-api.camel.yaml), on the configured databases or the embedded ones.
 */
final class DbSyncCommand implements FlowCommand {

    @Override
    public String name() {
        return "db-sync";
    }

    @Override
    public String help() {
        return "run db-sync and the catalogue API (port camel.server.port, 8081) until Ctrl-C; databases: DB_SYNC_LEGACY_*, DB_SYNC_CATALOGUE_*";
    }

    @Override
    public Optional<Map<String, String>> routeSettings(List<String> arguments) {
        if (!arguments.isEmpty()) {
            throw new JunctionException("db-sync takes no arguments (got " + String.join(" ", arguments)
                    + "); configure it with DB_SYNC_* variables or --property");
        }
        return Optional.of(Map.of("junction.routes", "routes/db-sync.camel.yaml,routes/catalogue-api.camel.yaml",
                "db-sync.enabled", "true"));
    }

    @Override
    public void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out) {
        throw new IllegalStateException("db-sync runs its routes (routeSettings), not as a one-shot command");
    }
}
