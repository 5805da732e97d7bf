package dev.junction.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.junction.Junction;
import dev.junction.config.JunctionConfig;
import dev.junction.infra.Infrastructure;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.observe.FlowMetrics;
import dev.junction.observe.ProgressReporter;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.runtime.RouteFiles;

/**
 * The main job: embedded infrastructure, every flow's routes, sample data, and a live progress line per flow.
 * Each flow adds its line here (name and lag) and, where it needs one, its sample-data feeder.
 */
public final class Demo {

    private Demo() {
    }

    public static Junction.Running start(JunctionConfig config, PrintStream out) {
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        List<AutoCloseable> parts = new ArrayList<>();
        Infrastructure infra = new Infrastructure(config);
        try {
            long t0 = System.nanoTime();
            String bootstrap = infra.kafkaBootstrap();
            out.printf("Infrastructure ready in %.1f s: Kafka at %s%n", (System.nanoTime() - t0) / 1e9, bootstrap);

            JunctionRuntime runtime = JunctionRuntime.start(config.with("kafka.bootstrap", bootstrap), routeFiles, false);
            parts.add(0, runtime);
            ConsumerGroupLag lag = new ConsumerGroupLag(bootstrap);
            parts.add(0, lag);
            List<ProgressReporter.Flow> flows = List.of(
                    new ProgressReporter.Flow("heartbeat", () -> lag.lag(config.get("heartbeat.group"))));
            ProgressReporter reporter = new ProgressReporter(FlowMetrics.registry(runtime.camelContext()), flows,
                    config.getInt("junction.demo.progress-interval-ms"));
            reporter.start();
            parts.add(0, reporter);
            out.printf("Demo running: %d route file(s), progress every %s ms; Ctrl-C stops it.%n",
                    routeFiles.size(), config.get("junction.demo.progress-interval-ms"));
            parts.add(infra);
            return new Junction.Running(parts);
        } catch (RuntimeException e) {
            new Junction.Running(parts).close();
            infra.close();
            throw e;
        }
    }
}
