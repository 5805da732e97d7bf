package dev.junction.infra;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny {@code sh} process that stops an embedded server when this JVM dies, in any way ({@code kill -9}
 * included), so that the server never outlives Junction.
 * <p>
 * The watchdog blocks reading its standard input, a pipe whose only writer is this JVM (Java closes every other
 * descriptor in the processes it starts). The kernel closes that pipe when the JVM exits or is killed, the read
 * returns, and the watchdog sends the server its shutdown signal, if that pid still runs the same server (the pid
 * could have been reused since), then exits. {@link #close()} closes the pipe on purpose after a normal stop: the
 * server is gone by then, so the watchdog just exits. It ignores the terminal's signals (Ctrl-C, hang-up) so that
 * it lives exactly as long as the JVM.
 */
final class ServerWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerWatchdog.class);

    /** argv[0] of every watchdog, so that they can be found (by {@link #ownerOf(String)} and by tests). */
    static final String NAME = "junction-watchdog";

    // $1 server pid, $2 signal name, $3 an argument of the server's command line that identifies it.
    private static final String SCRIPT = """
            trap '' INT HUP QUIT
            read -r line
            if tr '\\000' '\\n' < "/proc/$1/cmdline" 2>/dev/null | grep -qxF -e "$3"; then kill -s "$2" "$1"; fi
            """;

    private final Process process;

    private ServerWatchdog(Process process) {
        this.process = process;
    }

    /** How to stop a server whose watchdog cannot run. */
    interface Stop<E extends Exception> {
        void run() throws E;
    }

    /**
     * Finds the server just started ({@code executable} with {@code argument}, as in its command line) and starts its
     * watchdog. A server that cannot be found or watched is stopped with {@code stop}: nothing would stop it if this
     * JVM died.
     */
    static <E extends Exception> ServerWatchdog watch(String executable, String argument, String signal, Stop<E> stop)
            throws IOException, E {
        Optional<ServerProcess> server = ServerProcess.find(executable, argument);
        if (server.isEmpty()) {
            stop.run();
            throw new IOException(executable + " started but is not among the running processes");
        }
        try {
            return start(server.get(), signal, argument);
        } catch (RuntimeException e) {
            stop.run();
            throw e;
        }
    }

    /** Starts the watchdog of {@code server}, which it recognises by {@code argument}; it sends {@code signal}. */
    private static ServerWatchdog start(ServerProcess server, String signal, String argument) {
        try {
            Process process = new ProcessBuilder("sh", "-c", SCRIPT, NAME, Long.toString(server.pid()), signal, argument)
                    // Not pipes: after the JVM has died, a write to one would kill the watchdog (SIGPIPE).
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            LOG.debug("Watchdog {} sends SIG{} to {} when this JVM dies", process.pid(), signal, server);
            return new ServerWatchdog(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the watchdog of " + server + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JVM that runs the server recognised by {@code argument}, if it is alive: the parent of that server's
     * watchdog (a watchdog whose JVM has died exits at once).
     */
    static Optional<ProcessHandle> ownerOf(String argument) {
        // A watchdog whose JVM died a moment ago, not yet exited, has been handed to init (or a subreaper).
        return ServerProcess.findAll(cmd -> isWatchdogOf(cmd, argument)).stream()
                .flatMap(watchdog -> watchdog.parent().stream())
                .filter(parent -> parent.pid() != 1 && parent.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    private static boolean isWatchdogOf(List<String> cmd, String argument) {
        return cmd.size() == 7 && cmd.get(3).equals(NAME) && cmd.get(6).equals(argument);
    }

    long pid() {
        return process.pid();
    }

    /** Call after the server has stopped: the watchdog finds it gone and exits. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("Watchdog {} did not exit within 10 s; killing it", process.pid());
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
