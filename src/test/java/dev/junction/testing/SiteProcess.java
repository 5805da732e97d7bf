package dev.junction.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A JVM of bench quic-sync-wan started inside a site's network namespace, running {@link WanSite} (or any main
 * class), whose standard output lines go to a listener. Its standard input stays open while this object lives.
 */
public final class SiteProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

    private SiteProcess(Process process, Path log, Consumer<String> lines) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.accept(line);
                    Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                outputEnded.complete(null);
            }
        }, "site-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java -cp (this JVM's class path) [jvmOptions] mainClass args} in namespace {@code netns}. */
    public static SiteProcess start(String netns, Path log, Consumer<String> lines, List<String> jvmOptions, String mainClass,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Files.writeString(log, String.join(" ", cmd.subList(0, 5)) + " ... " + mainClass + " " + String.join(" ", args) + "\n");
        // stderr (Kafka's and the JVM's logging) into the same log; stdout is the protocol with the bench.
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".err").toFile()))
                .start();
        return new SiteProcess(p, log, lines);
    }

    /** A {@link WanSite} command. */
    public static SiteProcess site(String netns, Path log, Consumer<String> lines, String... args) throws IOException {
        return start(netns, log, lines, List.of("-Xmx1g"), WanSite.class.getName(), args);
    }

    /** Runs a {@link WanSite} command to its end; fails unless it exits 0 within {@code timeoutSeconds}. */
    public static void runToEnd(String netns, Path log, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        try (SiteProcess p = site(netns, log, line -> { }, args)) {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.process.exitValue() != 0) {
                throw new IllegalStateException("WanSite " + String.join(" ", args) + " failed or timed out; see " + log);
            }
        }
    }

    /**
     * The site's Kafka broker ({@code WanSite broker}) on {@code address:port}, its data and log under {@code dir};
     * returns once it is ready.
     */
    public static SiteProcess broker(String netns, Path dir, String address, int port) throws Exception {
        CompletableFuture<String> ready = new CompletableFuture<>();
        SiteProcess broker = site(netns, dir.resolve("broker-" + netns + ".log"),
                line -> { if (line.startsWith("READY")) { ready.complete(line); } },
                "broker", dir.resolve("kafka-" + netns).toString(), address, String.valueOf(port));
        ready.get(120, TimeUnit.SECONDS);
        return broker;
    }

    /**
     * Bytes sent and received on the link's device {@code wan0} of this process's namespace, read from
     * /proc/PID/net/dev (that file shows the namespace of the process it belongs to).
     */
    public long[] linkBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "net", "dev"))) {
            String t = line.trim();
            if (t.startsWith("wan0:")) {
                String[] f = t.substring(5).trim().split("\\s+");
                return new long[] {Long.parseLong(f[8]), Long.parseLong(f[0])}; // sent, received
            }
        }
        throw new IllegalStateException("no wan0 in the namespace of process " + process.pid());
    }

    /** Writes one line to the process's standard input (for processes that take commands there). */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            outputEnded.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // its output reader ends with it
        }
    }
}
