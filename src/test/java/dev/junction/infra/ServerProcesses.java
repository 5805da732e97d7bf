package dev.junction.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * For tests: the embedded servers' OS processes (and their watchdogs) that belong to one data directory, found
 * through /proc by their command lines, as {@link LeftoverServer} finds them.
 */
public final class ServerProcesses {

    private ServerProcesses() {
    }

    /**
     * The live processes whose command line names {@code dir} (servers, watchdogs), and their descendants (the
     * postgres workers, whose titles name no directory); never a JVM, even one given the directory as an argument.
     */
    public static List<ProcessHandle> of(Path dir) {
        String marker = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    List<String> cmd = ServerProcess.commandLine(p.pid());
                    return !cmd.isEmpty() && !Path.of(cmd.get(0)).getFileName().toString().equals("java")
                            && String.join(" ", cmd).contains(marker);
                })
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .distinct()
                .toList();
    }

    /** The command lines of those of {@code processes} still alive. */
    public static List<String> commands(List<ProcessHandle> processes) {
        return processes.stream().filter(ProcessHandle::isAlive).map(ServerProcesses::commandLine).toList();
    }

    /** The process's command line, its arguments separated by spaces; empty once it is gone. */
    public static String commandLine(ProcessHandle process) {
        return String.join(" ", ServerProcess.commandLine(process.pid()));
    }
}
