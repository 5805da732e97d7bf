package dev.junction.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.junction.infra.Ports;
import dev.junction.infra.ServerProcesses;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it: {@code java ... Junction demo} in a directory with the routes, its console in a file.
 * It shows a row per flow with records going through and every flow UP, and nothing else a user need not act on;
 * killed with SIGKILL it leaves no server behind and starts again on the same data; Ctrl-C (SIGINT) stops it and
 * everything it started. Durations are printed, not asserted.
 */
class DemoProcessTest {

    private static final List<String> FLOWS = List.of("heartbeat", "outbox-relay", "outbox-mariadb", "quic-sync");
    /** A table line when the console is not a terminal: time, flow, rec/s, total, lag, health. */
    private static final Pattern TABLE_LINE =
            Pattern.compile("^\\d{2}:\\d{2}:\\d{2} (\\S+) +(-?[\\d.]+) +([\\d,]+) +(\\S+) +(.+)$");
    /** A line in the layout of a log line (log4j, Camel, Kafka): a time with milliseconds or a level word. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}[.,]\\d{3}|\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\b");

    @TempDir
    Path tempDir;

    private Path workDir;
    private Path dataDir;
    private final List<ForkedJunction> demos = new ArrayList<>();

    @BeforeEach
    void userDirectory() throws IOException {
        workDir = Files.createDirectories(tempDir.toRealPath().resolve("work"));
        dataDir = Files.createDirectories(tempDir.toRealPath().resolve("data"));
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        try (Stream<Path> files = Files.list(TestJunction.repoDir().resolve("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        for (ForkedJunction demo : demos) {
            demo.close();
        }
        ServerProcesses.of(dataDir).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void showsEveryFlowSurvivesAKillAndStopsOnCtrlC() throws Exception {
        ForkedJunction first = startDemo("first");
        assertQuietConsole(first.log());
        Path logFile = Path.of(line(first.log(), "Log: ").substring("Log: ".length()));
        assertThat(logFile).exists().startsWith(dataDir);
        assertThat(Files.readAllLines(logFile)).isNotEmpty();
        assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir)))
                .anyMatch(cmd -> cmd.contains("bin/postgres"))
                .anyMatch(cmd -> cmd.contains("bin/mariadbd"));

        first.kill();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir))).isEmpty());

        ForkedJunction second = startDemo("second");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, List<Long>> totals = totals(second.log());
            for (String flow : FLOWS) {
                List<Long> ofFlow = totals.getOrDefault(flow, List.of());
                assertThat(ofFlow).as("totals of %s", flow).hasSizeGreaterThan(1);
                assertThat(ofFlow.get(ofFlow.size() - 1)).as("totals of %s grow", flow).isGreaterThan(ofFlow.get(0));
            }
        });

        long t0 = System.nanoTime();
        int exitCode = second.interrupt();
        System.out.printf("DemoProcessTest: stopped %.1f s after SIGINT%n", (System.nanoTime() - t0) / 1e9);
        assertThat(exitCode).as("exit code after Ctrl-C (128 + SIGINT)").isEqualTo(130);
        assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir)))
                .noneMatch(cmd -> cmd.contains("bin/postgres") || cmd.contains("bin/mariadbd"));
        // The watchdogs end once they read the end of their pipe.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir))).isEmpty());
        assertQuietConsole(second.log());
    }

    /** Starts the demo and waits until the latest table row of every flow has records and health UP. */
    private ForkedJunction startDemo(String name) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("junction.data.dir", dataDir.toString());
        env.put("junction.kafka.port", String.valueOf(Ports.freePort()));
        env.put("camel.management.port", String.valueOf(Ports.freePort()));
        long t0 = System.nanoTime();
        ForkedJunction demo = ForkedJunction.start(workDir, tempDir.resolve(name + "-console.txt"), env, "demo");
        demos.add(demo);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(demo.isAlive()).as("the demo is running; its console:%n%s", demo.log()).isTrue();
            Map<String, String[]> latest = latestRows(demo.log());
            for (String flow : FLOWS) {
                String[] row = latest.get(flow);
                assertThat(row).as("a table row for %s", flow).isNotNull();
                assertThat(Long.parseLong(row[1].replace(",", ""))).as("total of %s", flow).isPositive();
                assertThat(row[3]).as("health of %s", flow).isEqualTo("UP");
            }
        });
        System.out.printf("DemoProcessTest: %s start: every flow moving and UP %.1f s after start%n", name,
                (System.nanoTime() - t0) / 1e9);
        return demo;
    }

    /** No stack trace, exception, log line, Camel property summary or library notice on the console. */
    private static void assertQuietConsole(String console) {
        assertThat(console).doesNotContain("\tat ", "Exception", "summary", "commons-logging", "SLF4J", "log4j");
        for (String line : console.lines().toList()) {
            if (TABLE_LINE.matcher(line).matches()) {
                continue;
            }
            assertThat(LOG_LINE.matcher(line).find()).as("a log line on the console: %s%nconsole:%n%s", line, console)
                    .isFalse();
        }
    }

    private static String line(String console, String prefix) {
        return console.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' on the console:\n" + console));
    }

    /** Per flow, its latest table row: rec/s, total, lag, health. */
    private static Map<String, String[]> latestRows(String console) {
        Map<String, String[]> latest = new LinkedHashMap<>();
        for (String line : console.lines().toList()) {
            Matcher m = TABLE_LINE.matcher(line);
            if (m.matches()) {
                latest.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4), m.group(5).trim()});
            }
        }
        return latest;
    }

    /** Per flow, the totals of its table rows in order. */
    private static Map<String, List<Long>> totals(String console) {
        Map<String, List<Long>> totals = new LinkedHashMap<>();
        for (String line : console.lines().toList()) {
            Matcher m = TABLE_LINE.matcher(line);
            if (m.matches()) {
                totals.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Long.parseLong(m.group(3).replace(",", "")));
            }
        }
        return totals;
    }
}
