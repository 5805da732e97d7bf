package dev.junction.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.junction.support.JunctionException;

/**
 * The parsed command line: a command, then options. Anything it does not know is a {@link JunctionException}.
 * A flow's command takes arguments ({@code outbox-requeue 42}) and may be given as a flag ({@code --cleanup}).
 */
record CommandLine(String command, String routes, boolean reload, boolean verbose, Map<String, String> properties,
                   List<String> arguments) {

    static CommandLine parse(String[] args, Set<String> flowCommands) {
        String command = null;
        String routes = null;
        boolean reload = false;
        boolean verbose = false;
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h", "help" -> command = "help";
                case "--reload" -> reload = true;
                case "--verbose", "-v" -> verbose = true;
                case "--routes" -> routes = value(args, ++i, arg);
                case "--property", "-p" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new JunctionException("--property takes KEY=VALUE, got '" + kv + "'");
                    }
                    properties.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
                default -> {
                    if (arg.startsWith("--routes=")) {
                        routes = arg.substring("--routes=".length());
                    } else if (arg.startsWith("--") && flowCommands.contains(arg.substring(2))) {
                        // The original relay's flags (--init-schema, --cleanup, --optimize), kept as they were.
                        command = arg.substring(2);
                    } else if (arg.startsWith("-") && command != null && flowCommands.contains(command)) {
                        arguments.add(arg); // the flow's command reads its own options (fanout --id x --topic y)
                    } else if (arg.startsWith("-")) {
                        throw new JunctionException("unknown option '" + arg + "'; see java -jar target/junction.jar help");
                    } else if (command == null) {
                        command = arg;
                    } else if (flowCommands.contains(command)) {
                        arguments.add(arg);
                    } else if (!"help".equals(command)) {
                        throw new JunctionException("unexpected argument '" + arg + "' after command '" + command
                                + "'; see java -jar target/junction.jar help");
                    }
                }
            }
        }
        return new CommandLine(command == null ? "help" : command, routes, reload, verbose, properties, arguments);
    }

    /** The same command line with {@code properties} instead of the given ones. */
    CommandLine withProperties(Map<String, String> properties) {
        return new CommandLine(command, routes, reload, verbose, properties, arguments);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new JunctionException(option + " needs a value; see java -jar target/junction.jar help");
        }
        return args[i];
    }
}
