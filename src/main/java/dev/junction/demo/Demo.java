package dev.junction.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.flow.Flows;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.runtime.RouteFiles;
import dev.junction.runtime.Running;

/**
 * The demo: embedded servers, every flow's routes and sample data, and a live table with a row per flow. What each
 * flow adds (servers, tables, feeders, its rows) comes from its {@link FlowDemo}; this class holds no flow's code.
 */
public final class Demo {

    private Demo() {
    }

    public static Running start(JunctionConfig config, Flows flows, PrintStream out) {
        long t0 = System.nanoTime();
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        Infrastructure infra = new Infrastructure(config);
        List<AutoCloseable> parts = new ArrayList<>();
        List<String> announcements = new ArrayList<>();
        Path dataDir = Path.of(config.get("junction.data.dir")).toAbsolutePath();
        int rate = config.getInt("junction.demo.records-per-second");
        DemoSite site = new Site(infra, dataDir, rate, announcements);
        try {
            out.println("Junction demo: starting embedded servers and " + flows.all().size() + " flows ...");
            JunctionConfig resolved = config.with("kafka.bootstrap", infra.kafkaBootstrap());
            List<FlowDemo> demos = new ArrayList<>();
            for (JunctionFlow flow : flows.all()) {
                flow.servers(resolved).forEach(infra::start);
                resolved = flow.configure(resolved, infra);
                FlowDemo demo = flow.demo().orElse(null);
                if (demo != null) {
                    demos.add(demo);
                    parts.add(0, demo);
                    resolved = demo.prepare(site, resolved);
                }
            }
            JunctionRuntime runtime = JunctionRuntime.start(resolved, routeFiles, false);
            // Closed after the feeders (no new sample data while the routes drain) and before the servers.
            parts.add(runtime);
            List<FlowRow> rows = new ArrayList<>();
            for (FlowDemo demo : demos) {
                rows.addAll(demo.start(site, runtime.camelContext()));
            }
            for (JunctionFlow flow : flows.all()) {
                if (flow.demo().isEmpty()) {
                    rows.add(new FlowRow(flow.name(), () -> -1, List.of()));
                }
            }
            out.printf("Started in %.1f s: Kafka at %s; %d route file(s) from %s%n", (System.nanoTime() - t0) / 1e9,
                    resolved.get("kafka.bootstrap"), routeFiles.size(), routeFiles.get(0).getParent());
            announcements.forEach(out::println);
            if (Boolean.parseBoolean(resolved.find("camel.management.enabled").orElse("false"))) {
                String base = "http://localhost:" + resolved.get("camel.management.port");
                out.println("Health: " + base + "/observe/health   Metrics: " + base + "/observe/metrics");
            }
            String logFile = System.getProperty("junction.log.file");
            if (logFile != null) {
                out.println("Log: " + logFile);
            }
            out.println("Ctrl-C stops the demo.");
            FlowTable table = FlowTable.start(runtime.camelContext(), rows, out,
                    config.getInt("junction.demo.progress-interval-ms"), System.console() != null);
            parts.add(0, table);
            parts.add(infra);
            return new Running(parts);
        } catch (RuntimeException e) {
            new Running(parts).close();
            infra.close();
            throw e;
        }
    }

    private record Site(Infrastructure infra, Path dataDir, int recordsPerSecond, List<String> lines) implements DemoSite {

        @Override
        public void announce(String line) {
            lines.add(line);
        }
    }
}
