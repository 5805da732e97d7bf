package dev.junction.outbox.plugin;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.infra.Infrastructure;
import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.support.JunctionException;

/** The one-shot outbox commands: init-schema, cleanup, optimize, outbox-failed, outbox-requeue, outbox-skip. */
final class OutboxCommand implements FlowCommand {

    static final List<OutboxCommand> ALL = List.of(
            new OutboxCommand("init-schema", "create the outbox table (DB_URL, DB_USER, DB_PASSWORD, DB_OUTBOX_TABLE; "
                    + "without DB_URL the embedded PostgreSQL); never done silently"),
            new OutboxCommand("cleanup", "delete rows published more than outbox.cleanup.retention-ms ago, once"),
            new OutboxCommand("optimize", "VACUUM (ANALYZE) on PostgreSQL, OPTIMIZE TABLE on MySQL/MariaDB, once"),
            new OutboxCommand("outbox-failed", "list dead-lettered rows that hold back their aggregate"),
            new OutboxCommand("outbox-requeue", "ID... put failed rows back in the queue ('all' for every one)"),
            new OutboxCommand("outbox-skip", "ID... give failed rows up (they stay in the dead-letter topic)"));

    private final String name;
    private final String help;

    private OutboxCommand(String name, String help) {
        this.name = name;
        this.help = help;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out) {
        try {
            OutboxMaintenance maintenance = new OutboxMaintenance(configuration(OutboxDatabaseSettings.resolve(config, infra)));
            switch (name) {
                case "init-schema" -> out.println(maintenance.initSchema()
                        ? "created outbox table " + config.get("db.outbox.table")
                        : "outbox table " + config.get("db.outbox.table") + " already exists; nothing changed");
                case "cleanup" -> out.println("deleted " + maintenance.cleanup() + " published row(s) older than "
                        + config.get("outbox.cleanup.retention-ms") + " ms");
                case "optimize" -> out.println("ran: " + maintenance.optimize());
                case "outbox-failed" -> {
                    List<Map<String, Object>> failed = maintenance.failed();
                    failed.forEach(row -> out.println(row.get("id") + "\t" + row.get("aggregate_type") + "\t"
                            + row.get("aggregate_id") + "\t" + row.get("event_type") + "\tattempts=" + row.get("attempts")
                            + "\t" + row.get("last_error")));
                    out.println(failed.size() + " failed row(s)");
                }
                case "outbox-requeue" -> out.println("re-queued " + maintenance.requeue(ids(arguments)) + " row(s)");
                case "outbox-skip" -> {
                    if (arguments.isEmpty()) {
                        throw new JunctionException("outbox-skip needs the ids of the rows to give up (see outbox-failed)");
                    }
                    out.println("skipped " + maintenance.skip(ids(arguments)) + " row(s)");
                }
                default -> throw new IllegalArgumentException(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JunctionException(name + " was interrupted");
        } catch (SQLException e) {
            throw new JunctionException(name + " failed on " + config.find("db.url").orElse("the embedded database")
                    + ": " + e.getMessage().lines().findFirst().orElse("") + "; check the database and DB_URL", e);
        }
    }

    private static OutboxConfiguration configuration(JunctionConfig config) {
        OutboxConfiguration c = OutboxConfiguration.of(config.get("db.url"), config.find("db.user").orElse(null),
                config.find("db.password").orElse(""), config.get("db.outbox.table"));
        c.setRetentionMs(Long.parseLong(config.get("outbox.cleanup.retention-ms")));
        c.setCleanupBatchSize(config.getInt("outbox.cleanup.batch-size"));
        return c;
    }

    private static List<Long> ids(List<String> arguments) {
        List<Long> ids = new ArrayList<>();
        for (String a : arguments) {
            if ("all".equals(a)) {
                return List.of();
            }
            try {
                ids.add(Long.parseLong(a));
            } catch (NumberFormatException e) {
                throw new JunctionException("'" + a + "' is not a row id; give numeric ids or 'all'");
            }
        }
        return ids;
    }
}
