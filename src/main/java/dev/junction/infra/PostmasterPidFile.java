package dev.junction.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's lock file {@code postmaster.pid} in its data directory; its first line is the postmaster's pid.
 * <p>
 * After a crash the file stays. PostgreSQL ignores it when that pid is dead, but refuses to start when the pid has
 * been reused by any other live process (often after a container restart, where pids start again from 1, or by a
 * thread of the new JVM). Once no postgres runs on the directory, such a file is stale and is removed.
 */
final class PostmasterPidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PostmasterPidFile.class);

    private PostmasterPidFile() {
    }

    /** Removes {@code dataDir}'s postmaster.pid if it names a live process that is not a postgres on {@code dataDir}. */
    static void removeIfStale(Path dataDir) throws IOException {
        Path file = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = pid(file);
        if (pid.isEmpty() || !isAlive(pid.get())) {
            return;
        }
        List<String> cmd = ServerProcess.commandLine(pid.get());
        if (!cmd.isEmpty() && ServerProcess.runs("postgres", dataDir.toString()).test(cmd)) {
            return;
        }
        LOG.warn("Removing stale {}: it names process {}, which is not a PostgreSQL server on {}", file, pid.get(), dataDir);
        Files.deleteIfExists(file);
    }

    /** As PostgreSQL's own check (kill 0) sees it: threads and kernel threads count, so look at /proc too. */
    private static boolean isAlive(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid))) || ProcessHandle.of(pid).isPresent();
    }

    private static Optional<Long> pid(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
