package dev.junction.flow;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Infrastructure;

/**
 * A one-shot command a flow adds to the launcher ({@code java -jar junction.jar outbox-failed}). Its name may
 * also be given as a flag ({@code --cleanup}), as the original services did.
 */
public interface FlowCommand {

    /** The command word, e.g. {@code outbox-requeue}. */
    String name();

    /** One line for {@code help}: arguments and what it does. */
    String help();

    /** Runs the command; a problem the user can fix is a {@code JunctionException}. */
    void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out);

    /**
     * A command that runs the flow's routes until Ctrl-C, as {@code run} does (a daemon), returns here the settings
     * it runs them with ({@code junction.routes} and its own), read from its arguments; the launcher then runs the
     * routes instead of calling {@link #run}. Empty (the default): a one-shot command.
     */
    default Optional<Map<String, String>> routeSettings(List<String> arguments) {
        return Optional.empty();
    }
}
