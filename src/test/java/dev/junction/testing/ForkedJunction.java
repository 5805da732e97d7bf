package dev.junction.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.junction.config.JunctionConfig;
import dev.junction.launcher.Junction;

/**
 * {@code java dev.junction.launcher.Junction ARGS} in a JVM of its own, configured through environment variables as in
 * production, so a test can kill it (SIGKILL) or stop it (SIGTERM) like a real process.
 */
public final class ForkedJunction implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ForkedJunction(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts Junction with {@code properties} turned into environment variables (kafka.bootstrap → KAFKA_BOOTSTRAP). */
    public static ForkedJunction start(Path logFile, Map<String, String> properties, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(extraJvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Junction.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        properties.forEach((k, v) -> pb.environment().put(JunctionConfig.envName(k), v));
        return new ForkedJunction(pb.start(), logFile);
    }

    /** JVM options from {@code FORKED_JUNCTION_JVM_OPTIONS} (space-separated), e.g. to record a JFR profile in a benchmark. */
    private static List<String> extraJvmOptions() {
        String options = System.getenv().getOrDefault("FORKED_JUNCTION_JVM_OPTIONS", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing in flight is committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Junction stops its routes and servers; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Junction did not stop within 60 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
