package dev.junction.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.junction.support.JunctionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded servers never outlive the JVM that started them, even killed with SIGKILL, and a start on a data
 * directory where a crash left them running (watchdogs killed too) stops them and comes up with their data, but
 * leaves alone the servers of a Junction that is still running.
 * Real processes in JVMs of their own ({@link EmbeddedServersMain}), found through /proc by their data directory.
 */
class EmbeddedServersCrashTest {

    @TempDir
    Path tempDir;

    private Path dataDir;
    private final List<Forked> forks = new ArrayList<>();

    @BeforeEach
    void realPath() throws IOException {
        dataDir = tempDir.toRealPath();
    }

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        for (Forked fork : forks) {
            fork.process.destroyForcibly();
            fork.process.waitFor(30, TimeUnit.SECONDS);
        }
        // A failed test must not leave servers behind on the machine: these all name this test's directory.
        ServerProcesses.of(dataDir).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void serversAndWatchdogsStopWhenTheirJvmIsKilled() throws Exception {
        Forked first = start("first");
        List<ProcessHandle> started = ServerProcesses.of(dataDir);
        assertThat(ServerProcesses.commands(started))
                .anyMatch(cmd -> cmd.contains("bin/postgres"))
                .anyMatch(cmd -> cmd.contains("bin/mariadbd"))
                .filteredOn(cmd -> cmd.contains(ServerWatchdog.NAME)).hasSize(2);

        first.kill();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(started).noneMatch(ProcessHandle::isAlive);
            assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir))).isEmpty();
        });
    }

    @Test
    void aStartStopsServersThatACrashLeftRunningAndKeepsTheirData() throws Exception {
        Forked first = start("first");
        execute(first.postgresUrl, "postgres", "", "CREATE TABLE kept (id int PRIMARY KEY, v text)",
                "INSERT INTO kept VALUES (1, 'written before the crash')");
        execute(first.mariaDbUrl, "root", "", "CREATE TABLE kept (id int PRIMARY KEY, v text)",
                "INSERT INTO kept VALUES (1, 'written before the crash')");
        // A crash that takes the watchdogs with the JVM: the servers stay.
        List<ProcessHandle> watchdogs = ServerProcesses.of(dataDir).stream()
                .filter(p -> ServerProcesses.commandLine(p).contains(ServerWatchdog.NAME)).toList();
        assertThat(watchdogs).hasSize(2);
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> watchdogs.stream().noneMatch(ProcessHandle::isAlive));
        first.kill();
        List<ProcessHandle> leftovers = ServerProcesses.of(dataDir);
        assertThat(ServerProcesses.commands(leftovers))
                .anyMatch(cmd -> cmd.contains("bin/postgres"))
                .anyMatch(cmd -> cmd.contains("bin/mariadbd"));

        Forked second = start("second");

        assertThat(leftovers).noneMatch(ProcessHandle::isAlive);
        assertThat(second.log()).contains("PostgreSQL process", "MariaDB process", "was left running on");
        assertThat(query(second.postgresUrl, "postgres", "", "SELECT v FROM kept WHERE id = 1")).isEqualTo("written before the crash");
        assertThat(query(second.mariaDbUrl, "root", "", "SELECT v FROM kept WHERE id = 1")).isEqualTo("written before the crash");

        List<ProcessHandle> servers = ServerProcesses.of(dataDir);
        second.terminate();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(servers).noneMatch(ProcessHandle::isAlive);
            assertThat(ServerProcesses.commands(ServerProcesses.of(dataDir))).isEmpty();
        });
    }

    @Test
    void aStartLeavesTheServersOfARunningJunctionAlone() throws Exception {
        Forked running = start("running");

        String inUse = "is in use by another running Junction (process " + running.process.pid() + ")";
        assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir.resolve("postgres"), 0))
                .isInstanceOf(JunctionException.class).hasMessageContaining(inUse);
        assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir.resolve("mariadb"), 0))
                .isInstanceOf(JunctionException.class).hasMessageContaining(inUse);

        assertThat(query(running.postgresUrl, "postgres", "", "SELECT 'still up'")).isEqualTo("still up");
        assertThat(query(running.mariaDbUrl, "root", "", "SELECT 'still up'")).isEqualTo("still up");
        running.terminate();
    }

    private Forked start(String name) throws IOException {
        Path log = dataDir.resolve(name + ".log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedServersMain.class.getName(), dataDir.toString());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Forked fork = new Forked(process, log);
        forks.add(fork);
        await().atMost(Duration.ofSeconds(90)).until(() -> fork.readyLine() != null || !process.isAlive());
        String ready = fork.readyLine();
        assertThat(ready).as("servers of the %s run did not come up:%n%s", name, fork.log()).isNotNull();
        String[] urls = ready.split(" ");
        fork.postgresUrl = urls[1];
        fork.mariaDbUrl = urls[2];
        return fork;
    }

    private static void execute(String url, String user, String password, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static String query(String url, String user, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static final class Forked {
        final Process process;
        final Path log;
        String postgresUrl;
        String mariaDbUrl;

        Forked(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        String readyLine() throws IOException {
            return log().lines().filter(line -> line.startsWith("READY ")).findFirst().orElse(null);
        }

        /** SIGKILL: no shutdown hook runs. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        /** SIGTERM: the servers are closed as Junction closes them. */
        void terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        }
    }
}
