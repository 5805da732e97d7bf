package dev.junction.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import dev.junction.support.JunctionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before an embedded server starts: finds a server still running on the same data directory, left by an earlier
 * Junction that died without stopping it (or whose watchdog died with it), and stops it the way its own shutdown
 * works, so that no data is lost and the new start does not fail on a directory that is in use. It refuses, with
 * a one-line error that says what to do, where stopping it would not be safe: a server that another running
 * Junction uses, or one that Junction did not start.
 */
final class LeftoverServer {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverServer.class);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final String executable;
    private final String argument;
    private final Predicate<String> startedByJunction;
    private final String signal;

    /**
     * @param name              what the server is, for messages ("PostgreSQL")
     * @param executable        file name of the server's program ("postgres")
     * @param argument          the argument that names the data directory, as the server gets it
     * @param startedByJunction whether a program path is one that Junction runs (its unpacked binaries)
     * @param signal            the signal of the server's own fast, clean shutdown
     */
    LeftoverServer(String name, String executable, String argument, Predicate<String> startedByJunction, String signal) {
        this.name = name;
        this.executable = executable;
        this.argument = argument;
        this.startedByJunction = startedByJunction;
        this.signal = signal;
    }

    /** Stops the server left running on {@code dataDir}, if there is one; throws where that is not safe. */
    void stopIfRunning(Path dataDir) {
        Optional<ServerProcess> found = ServerProcess.find(executable, argument);
        if (found.isEmpty()) {
            return;
        }
        ServerProcess server = found.get();
        Optional<ProcessHandle> owner = ServerWatchdog.ownerOf(argument);
        if (owner.isPresent()) {
            throw new JunctionException(name + " in " + dataDir + " is in use by another running Junction (process "
                    + owner.get().pid() + "); stop that one first, or give this one another data directory (JUNCTION_DATA_DIR)");
        }
        if (!startedByJunction.test(server.executable())) {
            throw new JunctionException(name + " " + server + " holds " + dataDir + " but Junction did not start it; "
                    + "stop it (kill -" + signal + " " + server.pid() + ") or set JUNCTION_DATA_DIR to another directory, then start again");
        }
        LOG.warn("{} {} was left running on {} by an earlier run that did not stop it; stopping it (SIG{})",
                name, server, dataDir, signal);
        if (!server.stop(signal, STOP_TIMEOUT)) {
            throw new JunctionException(name + " " + server + ", left running on " + dataDir + " by an earlier run, did not stop within "
                    + STOP_TIMEOUT.toSeconds() + " s of SIG" + signal + "; stop it (kill -KILL " + server.pid() + ") and start again");
        }
        LOG.info("{} left over on {} stopped", name, dataDir);
    }
}
