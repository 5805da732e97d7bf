package dev.junction.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.junction.infra.Ports;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake a user can make at start ends as one clear line on stderr and exit code 2, never a stack dump. */
class LauncherErrorsTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private Outcome launch(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Junction(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineError(Outcome outcome, String expected) {
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("junction: error: ").contains(expected);
        assertThat(outcome.err().strip().lines()).hasSize(1);
        assertThat(outcome.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private Path validRoute() throws Exception {
        Path route = dir.resolve("ok.camel.yaml");
        Files.writeString(route, "- route:\n    from:\n      uri: timer:x\n      steps:\n        - log: tick\n");
        return route;
    }

    @Test
    void helpListsCommandsAndOptions() {
        Outcome outcome = launch(Map.of(), "--help");
        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).contains("run", "demo", "--routes", "--reload", "KAFKA_BOOTSTRAP");
    }

    @Test
    void unknownCommand() {
        assertOneLineError(launch(Map.of(), "frobnicate"), "unknown command 'frobnicate'");
    }

    @Test
    void unknownOption() {
        assertOneLineError(launch(Map.of(), "run", "--frob"), "unknown option '--frob'");
    }

    @Test
    void missingRouteFiles() {
        assertOneLineError(launch(Map.of("KAFKA_BOOTSTRAP", TestKafka.bootstrap()),
                "run", "--routes", dir + "/nothing-*.camel.yaml"), "no route file matches");
    }

    @Test
    void missingRouteFilesFromEnvironment() {
        assertOneLineError(launch(Map.of("JUNCTION_ROUTES", dir + "/absent.camel.yaml"), "run"),
                "JUNCTION_ROUTES");
    }

    @Test
    void busyManagementPort() throws Exception {
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();
            Outcome outcome = launch(Map.of("KAFKA_BOOTSTRAP", TestKafka.bootstrap(), "CAMEL_MANAGEMENT_PORT",
                    String.valueOf(port)), "run", "--routes", validRoute().toString());
            assertOneLineError(outcome, "port " + port);
            assertThat(outcome.err()).contains("CAMEL_MANAGEMENT_PORT");
        }
    }

    @Test
    void busyEmbeddedKafkaPort() throws Exception {
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();
            Outcome outcome = launch(Map.of("JUNCTION_KAFKA_PORT", String.valueOf(port),
                    "JUNCTION_DATA_DIR", dir.resolve("data").toString()), "run", "--routes", validRoute().toString());
            assertOneLineError(outcome, "port " + port + " is busy");
        }
    }

    @Test
    void unreachableKafka() throws Exception {
        int closedPort = Ports.freePort();
        Outcome outcome = launch(Map.of("KAFKA_BOOTSTRAP", "localhost:" + closedPort,
                "JUNCTION_KAFKA_CONNECT_TIMEOUT_MS", "2000"), "run", "--routes", validRoute().toString());
        assertOneLineError(outcome, "cannot reach Kafka cluster 'kafka' at localhost:" + closedPort);
    }

    @Test
    void brokenRouteFile() throws Exception {
        Path broken = dir.resolve("broken.camel.yaml");
        Files.writeString(broken, "- route:\n    from:\n      uri: nosuchcomponent:x\n");
        Outcome outcome = launch(Map.of("KAFKA_BOOTSTRAP", TestKafka.bootstrap(),
                "CAMEL_MANAGEMENT_PORT", String.valueOf(Ports.freePort())), "run", "--routes", broken.toString());
        assertOneLineError(outcome, "the routes did not start");
    }
}
