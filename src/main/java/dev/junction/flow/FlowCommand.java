package dev.junction.flow;

import java.io.PrintStream;
import java.util.List;

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
}
