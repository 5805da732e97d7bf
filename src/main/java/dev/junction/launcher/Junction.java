package dev.junction.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.junction.config.JunctionConfig;
import dev.junction.demo.Demo;
import dev.junction.flow.FlowCommand;
import dev.junction.flow.Flows;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.runtime.RouteFiles;
import dev.junction.runtime.Running;
import dev.junction.support.JunctionException;

/**
 * The launcher: {@code java -jar junction.jar <command> [options]}.
 * <p>
 * It knows no flow of its own: the flows ({@link Flows#discover()}) bring their route files, the servers they need,
 * their commands and their demo. Every user error ends as one line on stderr and exit code 2; Ctrl-C or SIGTERM
 * stops the routes first and the embedded servers after them.
 */
public final class Junction {

    private static final String USAGE = """
            Usage: java -jar target/junction.jar <command> [options]

            Commands:
              run     load the YAML routes from disk and run them until Ctrl-C
              demo    start embedded Kafka and databases, every flow and sample data; show a live table of the flows
              help    print this text
            %s
            Options:
              --routes PATTERNS     comma-separated route files or globs (default routes/*.camel.yaml; env JUNCTION_ROUTES)
              --reload              reload a route file when it changes on disk (no restart)
              --verbose             log everything to the console (run: libraries at INFO; demo: the log file's lines too)
              --property KEY=VALUE  set a configuration property (repeatable; see README, Configuration)

            Kafka: set KAFKA_BOOTSTRAP to use a running cluster; without it an embedded broker starts on JUNCTION_KAFKA_PORT.
            Secured clusters: KAFKA_CLIENT_SECURITY_PROTOCOL, KAFKA_CLIENT_SASL_JAAS_CONFIG, ... (README, Secured Kafka clusters).
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Flows flows = Flows.discover();

    public Junction(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // Before anything logs: finding the flows loads their classes, and a static logger would fix the configuration.
        ConsoleLogging.configure(loggingMode(System.getenv(), args));
        System.exit(new Junction(System.getenv(), System.out, System.err).execute(args));
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
        CommandLine cmd = parse(args);
        FlowCommand flowCommand = flows.commands().stream().filter(c -> c.name().equals(cmd.command())).findFirst()
                .orElse(null);
        Optional<Map<String, String>> daemonSettings = flowCommand == null ? Optional.empty()
                : flowCommand.routeSettings(cmd.arguments());
        if (daemonSettings.isPresent()) {
            Map<String, String> settings = new LinkedHashMap<>(daemonSettings.get());
            settings.putAll(cmd.properties()); // --property still wins
            if (cmd.routes() != null) {
                settings.put("junction.routes", cmd.routes());
            }
            return startRun(cmd.withProperties(settings));
        }
        if (flowCommand != null) {
            JunctionConfig config = config(cmd);
            try (Infrastructure infra = new Infrastructure(config)) {
                flowCommand.run(cmd.arguments(), config, infra, out);
            }
            return null;
        }
        switch (cmd.command()) {
            case "help" -> {
                out.print(usage());
                return null;
            }
            case "run" -> {
                return startRun(cmd);
            }
            case "demo" -> {
                return Demo.start(config(cmd), flows, out, cmd.verbose());
            }
            default -> throw new JunctionException("unknown command '" + cmd.command() + "'; the commands are run, demo, help, "
                    + flows.commands().stream().map(FlowCommand::name).collect(Collectors.joining(", "))
                    + " (java -jar target/junction.jar help)");
        }
    }

    private CommandLine parse(String[] args) {
        Set<String> names = flows.commands().stream().map(FlowCommand::name).collect(Collectors.toSet());
        return CommandLine.parse(args, names);
    }

    /**
     * How the console shows logs for these arguments. A command line that does not parse (a flow's command given as
     * a flag is not known yet here) logs as {@code run}; its error line comes later.
     */
    static ConsoleLogging.Mode loggingMode(Map<String, String> env, String[] args) {
        try {
            CommandLine cmd = CommandLine.parse(args, Set.of());
            JunctionConfig config = config(env, cmd);
            return new ConsoleLogging.Mode("demo".equals(cmd.command()), cmd.verbose(),
                    Path.of(config.get("junction.data.dir")).toAbsolutePath().resolve("logs"));
        } catch (RuntimeException e) {
            // A flow's command with options of its own (fanout --id x) does not parse without the flows; --verbose still counts.
            boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
            return new ConsoleLogging.Mode(false, verbose, Path.of(".junction", "logs").toAbsolutePath());
        }
    }

    private String usage() {
        StringBuilder commands = new StringBuilder();
        for (JunctionFlow flow : flows.all()) {
            if (!flow.commands().isEmpty()) {
                commands.append("\n").append(flow.name()).append(":\n");
                flow.commands().forEach(c -> commands.append(String.format("  %-22s %s%n", c.name(), c.help())));
            }
        }
        if (!commands.isEmpty()) {
            commands.append("\nA flow's command also runs as a flag, as the original services had them: --cleanup, ...\n");
        }
        return USAGE.formatted(commands);
    }

    private Running startRun(CommandLine cmd) {
        JunctionConfig config = config(cmd);
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        Infrastructure infra = new Infrastructure(config);
        try {
            JunctionConfig resolved = Flows.prepare(flows.usedBy(routeFiles), config, infra);
            JunctionRuntime runtime = JunctionRuntime.start(resolved, routeFiles, cmd.reload());
            return new Running(List.of(runtime, infra));
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    private JunctionConfig config(CommandLine cmd) {
        return config(env, cmd);
    }

    private static JunctionConfig config(Map<String, String> env, CommandLine cmd) {
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
