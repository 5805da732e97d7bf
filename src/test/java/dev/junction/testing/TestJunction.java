package dev.junction.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;

/** Starts Junction's route runtime in the test JVM against a given broker, on a free management port. */
public final class TestJunction {

    private TestJunction() {
    }

    /** The repository's own directory (for its routes/, deploy files and so on). */
    public static Path repoDir() {
        return Path.of(System.getProperty("junction.repo.dir", "")).toAbsolutePath();
    }

    public static Path repoRoute(String fileName) {
        return repoDir().resolve("routes").resolve(fileName);
    }

    public static JunctionConfig config(String bootstrap, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrap", bootstrap);
        all.put("camel.management.port", String.valueOf(Ports.freePort()));
        all.putAll(overrides);
        return JunctionConfig.load(Map.of(), all);
    }

    public static JunctionRuntime start(List<Path> routeFiles, Map<String, String> overrides) {
        return JunctionRuntime.start(config(TestKafka.bootstrap(), overrides), routeFiles, false);
    }

    public static JunctionRuntime start(JunctionConfig config, List<Path> routeFiles, boolean reload) {
        return JunctionRuntime.start(config, routeFiles, reload);
    }
}
