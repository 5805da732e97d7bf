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
 * production, so a test can kill it (SIGKILL) or stop it (SIGTERM, or SIGINT as Ctrl-C) like a real process.
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
        return start(null, logFile, properties, args);
    }

    /**
     * As {@link #start(Path, Map, String...)}, in {@code workingDir} (null: this JVM's), as a user starts it from a
     * directory of their own. {@code logFile} gets what the user would see on the console (stdout and stderr).
     */
    public static ForkedJunction start(Path workingDir, Path logFile, Map<String, String> properties, String... args)
            throws IOException {
        return start(workingDir, List.of(), logFile, properties, args);
    }

    /** As {@link #start(Path, Map, String...)}, with JVM options before the class ({@code -Xmx512m}, as a user sets them). */
    public static ForkedJunction start(Path logFile, List<String> jvmOptions, Map<String, String> properties, String... args)
            throws IOException {
        return start(null, jvmOptions, logFile, properties, args);
    }

    /**
     * As {@link #start(Path, Map, String...)}, inside the network namespace {@code netns} ({@code ip netns exec}, which
     * execs, so the process is still Junction's own JVM): a site of bench quic-sync-wan.
     */
    public static ForkedJunction startInNamespace(String netns, Path logFile, Map<String, String> properties, String... args)
            throws IOException {
        return start(List.of("ip", "netns", "exec", netns), null, List.of(), logFile, properties, args);
    }

    private static ForkedJunction start(Path workingDir, List<String> jvmOptions, Path logFile, Map<String, String> properties,
            String... args) throws IOException {
        return start(List.of(), workingDir, jvmOptions, logFile, properties, args);
    }

    private static ForkedJunction start(List<String> launcher, Path workingDir, List<String> jvmOptions, Path logFile,
            Map<String, String> properties, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        if (ignoresSigint()) {
            // A JVM started with SIGINT ignored (a background job of a script) keeps ignoring it, and so would the
            // fork: start it with the default action, as from a terminal, so that interrupt() works like Ctrl-C.
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(extraJvmOptions());
        cmd.addAll(List.of("-cp", classPath(), Junction.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        if (workingDir != null) {
            pb.directory(workingDir.toFile());
        }
        properties.forEach((k, v) -> pb.environment().put(JunctionConfig.envName(k), v));
        return new ForkedJunction(pb.start(), logFile);
    }

    /** Whether this JVM ignores SIGINT (bit 2 of SigIgn in /proc/self/status); false where there is no /proc. */
    private static boolean ignoresSigint() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .anyMatch(line -> (Long.parseLong(line.substring(7).trim(), 16) & 2) != 0);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Junction's own class path when {@code junction.forked.classpath} names one (bench/run does: the fork then runs
     * with what {@code java -jar target/junction.jar} has, without the test libraries, some of which change Camel's
     * behaviour, such as camel-jbang's dev consoles); else this JVM's.
     */
    private static String classPath() {
        String own = System.getProperty("junction.forked.classpath", "");
        return own.isBlank() ? System.getProperty("java.class.path") : own;
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

    public long pid() {
        return process.pid();
    }

    /** SIGINT, as Ctrl-C on a terminal: Junction stops its routes and servers; returns the exit code. */
    public int interrupt() throws InterruptedException, IOException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).redirectErrorStream(true).start();
        kill.getInputStream().readAllBytes();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT " + process.pid() + " failed (exit code " + kill.exitValue() + ")");
        }
        return awaitExit("SIGINT");
    }

    /** SIGTERM: Junction stops its routes and servers; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit("SIGTERM");
    }

    private int awaitExit(String signal) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Junction did not stop within 60 s of " + signal + ":\n" + log());
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
