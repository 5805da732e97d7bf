package dev.junction.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.junction.testing.CamelJBangLauncher;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users with Camel JBang run a Junction route file as {@code camel run routes/heartbeat.camel.yaml
 * --dep=dev.junction:junction:VERSION}. Here Junction is already on the classpath, so {@code camel run} is
 * driven through camel-jbang-core in a JVM of its own (JBang ends with System.exit).
 */
class CamelRunCompatibilityTest {

    @TempDir
    Path workDir;

    @Test
    void camelRunExecutesTheHeartbeatRouteFileAgainstARealBroker() throws Exception {
        String topic = TestKafka.uniqueName("jbang-heartbeat");
        Path log = workDir.resolve("camel-run.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process camel = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                CamelJBangLauncher.class.getName(), "run", TestJunction.repoRoute("heartbeat.camel.yaml").toString(),
                "--max-messages=10",
                "--prop=kafka.bootstrap=" + TestKafka.bootstrap(),
                "--prop=heartbeat.topic=" + topic,
                "--prop=heartbeat.group=" + TestKafka.uniqueName("jbang-group"),
                "--prop=heartbeat.period-ms=100",
                "--prop=camel.management.port=0"))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = camel.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            camel.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("camel run stops by itself after --max-messages; output:%n%s", tail(output)).isTrue();
        assertThat(camel.exitValue()).as(tail(output)).isZero();
        // It stopped by itself after --max-messages (exchanges completed); the records below prove the route file ran.

        var records = TestKafka.consumeUntil(topic, r -> r.size() >= 5, Duration.ofSeconds(30));
        assertThat(records).hasSizeGreaterThanOrEqualTo(5);
        assertThat(records.get(0).value()).contains("\"source\":\"heartbeat\"");
    }

    private static String tail(String output) {
        String[] lines = output.split("\r?\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }
}
