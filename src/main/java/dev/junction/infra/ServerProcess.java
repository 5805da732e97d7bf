package dev.junction.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An OS process of an embedded server (or of its watchdog), recognised by its command line as the kernel shows it
 * in {@code /proc/PID/cmdline}. A server's command line names its data directory, which only one server can hold,
 * so that identifies it across JVMs and runs.
 */
final class ServerProcess {

    private final ProcessHandle handle;
    private final List<String> commandLine;

    private ServerProcess(ProcessHandle handle, List<String> commandLine) {
        this.handle = handle;
        this.commandLine = commandLine;
    }

    /** The live processes whose command line (argv[0] first) matches; none where there is no {@code /proc}. */
    static List<ServerProcess> findAll(Predicate<List<String>> commandLine) {
        return ProcessHandle.allProcesses()
                .map(p -> new ServerProcess(p, commandLine(p.pid())))
                .filter(p -> !p.commandLine.isEmpty() && commandLine.test(p.commandLine))
                .toList();
    }

    /** The live process run from a file named {@code executable} with {@code argument} as one of its arguments. */
    static Optional<ServerProcess> find(String executable, String argument) {
        return findAll(runs(executable, argument)).stream().findFirst();
    }

    /** A command line of {@code executable} (its file name) with exactly {@code argument} among its arguments. */
    static Predicate<List<String>> runs(String executable, String argument) {
        return cmd -> Path.of(cmd.get(0)).getFileName().toString().equals(executable)
                && cmd.subList(1, cmd.size()).contains(argument);
    }

    /** {@code /proc/PID/cmdline} split at its NUL separators; empty when the process is gone or not readable. */
    static List<String> commandLine(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    long pid() {
        return handle.pid();
    }

    /** The program as the process was started (argv[0]). */
    String executable() {
        return commandLine.get(0);
    }

    /** The parent process, while it is alive. */
    Optional<ProcessHandle> parent() {
        return handle.parent();
    }

    boolean isAlive() {
        return handle.isAlive();
    }

    /**
     * Sends {@code signal} (a name such as {@code INT} or {@code TERM}) and waits up to {@code timeout} for the
     * process to exit; false if it is still running then. Java itself can send only TERM and KILL, so this asks
     * {@code sh}'s built-in kill, which every Unix has.
     */
    boolean stop(String signal, Duration timeout) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -s \"$1\" \"$2\"", "kill", signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            kill.getInputStream().transferTo(OutputStream.nullOutputStream());
            kill.waitFor();
            // Not a child of this JVM, so there is no exit event to wait on (ProcessHandle.onExit polls with
            // back-off up to seconds); a short poll notices the exit at once.
            long deadline = System.nanoTime() + timeout.toNanos();
            while (isAlive()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        } catch (IOException e) {
            return !isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive();
        }
    }

    @Override
    public String toString() {
        return "process " + pid() + " (" + executable() + ")";
    }
}
