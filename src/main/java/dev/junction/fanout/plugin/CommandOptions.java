package dev.junction.fanout.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.junction.support.JunctionException;

/** The {@code --name value} options of a fanout command, checked against the ones it knows. */
final class CommandOptions {

    private CommandOptions() {
    }

    static Map<String, String> parse(String command, List<String> arguments, Set<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            if (name == null || !known.contains(name)) {
                throw new JunctionException(command + " does not know '" + arg + "'; its options are --"
                        + String.join(", --", known));
            }
            if (i + 1 >= arguments.size() || arguments.get(i + 1).startsWith("--")) {
                throw new JunctionException(command + ": " + arg + " needs a value");
            }
            options.put(name, arguments.get(++i));
        }
        return options;
    }
}
