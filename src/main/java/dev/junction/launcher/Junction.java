package dev.junction.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.junction.config.JunctionConfig;
import dev.junction.demo.Demo;
import dev.junction.infra.DatabaseSettings;
import dev.junction.infra.Infrastructure;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.runtime.RouteFiles;
import dev.junction.runtime.Running;
import dev.junction.support.JunctionException;

/**
 * The launcher: {@code java -jar junction.jar <command> [options]}.
 * <p>
 * Every user error ends as one line on stderr and exit code 2; Ctrl-C or SIGTERM stops the routes first and
 * the embedded servers after them.
 */
public final class Junction {

    static final String USAGE = """
            Usage: java -jar target/junction.jar <command> [options]

            Commands:
              run     load the YAML routes from disk and run them until Ctrl-C
              demo    start embedded Kafka and databases, every flow and sample data; print live progress per flow
              help    print this text

            Outbox (DB_URL, DB_USER, DB_PASSWORD, DB_OUTBOX_TABLE; without DB_URL the embedded PostgreSQL):
              --init-schema          create the outbox table (never done silently)
              --cleanup              delete rows published more than outbox.cleanup.retention-ms ago, once
              --optimize             VACUUM (ANALYZE) on PostgreSQL, OPTIMIZE TABLE on MySQL/MariaDB, once
              outbox-failed          list dead-lettered rows that hold back their aggregate
              outbox-requeue ID...   put failed rows back in the queue ('all' for every one)
              outbox-skip ID...      give failed rows up (they stay in the dead-letter topic); their aggregate moves on

            Options:
              --routes PATTERNS     comma-separated route files or globs (default routes/*.camel.yaml; env JUNCTION_ROUTES)
              --reload              reload a route file when it changes on disk (no restart)
              --property KEY=VALUE  set a configuration property (repeatable; see README, Configuration)

            Kafka: set KAFKA_BOOTSTRAP to use a running cluster; without it an embedded broker starts on JUNCTION_KAFKA_PORT.
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public Junction(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new Junction(System.getenv(), System.out, System.err).execute(args);
        System.exit(code);
    }

    /** Runs the command; blocks until shutdown for {@code run} and {@code demo}. Returns the exit code. */
    public int execute(String[] args) {
        try {
            Running running = start(args);
            if (running == null) {
                return 0;
            }
            awaitShutdown(running);
            return 0;
        } catch (JunctionException e) {
            err.println(errorLine(e));
            return 2;
        }
    }

    /** The one line a user sees for a problem they can fix. */
    public static String errorLine(JunctionException e) {
        return "junction: error: " + e.getMessage();
    }

    /**
     * Starts what the command asks for and returns it running, or null for commands that finish at once.
     * Throws {@link JunctionException} for every problem the user can fix.
     */
    public Running start(String[] args) {
        CommandLine cmd = CommandLine.parse(args);
        if (OutboxCommands.COMMANDS.contains(cmd.command())) {
            OutboxCommands.run(cmd.command(), cmd.arguments(), config(cmd), out);
            return null;
        }
        switch (cmd.command()) {
            case "help" -> {
                out.print(USAGE);
                return null;
            }
            case "run" -> {
                return startRun(cmd);
            }
            case "demo" -> {
                return Demo.start(config(cmd), out);
            }
            default -> throw new JunctionException("unknown command '" + cmd.command() + "'; the commands are run, demo, help, "
                    + String.join(", ", OutboxCommands.COMMANDS) + " (java -jar target/junction.jar help)");
        }
    }

    private Running startRun(CommandLine cmd) {
        JunctionConfig config = config(cmd);
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        Infrastructure infra = new Infrastructure(config);
        try {
            JunctionConfig resolved = config.with("kafka.bootstrap", infra.kafkaBootstrap());
            if (RouteFiles.mention(routeFiles, "outbox:")) {
                resolved = DatabaseSettings.resolve(resolved, infra);
            }
            JunctionRuntime runtime = JunctionRuntime.start(resolved, routeFiles, cmd.reload());
            return new Running(List.of(runtime, infra));
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    private JunctionConfig config(CommandLine cmd) {
        Map<String, String> overrides = new LinkedHashMap<>(cmd.properties());
        if (cmd.routes() != null) {
            overrides.put("junction.routes", cmd.routes());
        }
        return JunctionConfig.load(env, overrides);
    }

    private void awaitShutdown(Running running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "junction-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.close();
        }
    }
}
