package dev.junction.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.flow.Flows;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;
import dev.junction.infra.Server;
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

    /** Starts the demo of the flows the route files use; {@code verbose} puts log lines on the console too. */
    public static Running start(JunctionConfig config, Flows flows, PrintStream out, boolean verbose) {
        long t0 = System.nanoTime();
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        List<JunctionFlow> used = flows.usedBy(routeFiles);
        Infrastructure infra = new Infrastructure(config);
        List<String> announcements = new ArrayList<>();
        DemoSite site = new Site(infra, Path.of(config.get("junction.data.dir")).toAbsolutePath(),
                config.getInt("junction.demo.records-per-second"), announcements);
        // Closed in this order: the table, the feeders, the routes, the servers.
        List<AutoCloseable> parts = new ArrayList<>();
        List<FlowDemo> demos = new ArrayList<>();
        JunctionRuntime runtime = null;
        try {
            out.println("Junction demo: starting embedded servers and " + used.size() + " flow(s) ...");
            JunctionConfig resolved = Flows.prepare(used, config, infra);
            Map<JunctionFlow, FlowDemo> demoOf = new LinkedHashMap<>();
            for (JunctionFlow flow : used) {
                FlowDemo demo = flow.demo().orElse(null);
                if (demo != null) {
                    demoOf.put(flow, demo);
                    demos.add(demo);
                    demo.servers().forEach(infra::start);
                    resolved = demo.prepare(site, resolved);
                }
            }
            runtime = JunctionRuntime.start(resolved, routeFiles, false);
            List<FlowRow> rows = new ArrayList<>();
            for (JunctionFlow flow : used) {
                FlowDemo demo = demoOf.get(flow);
                rows.addAll(demo != null ? demo.start(site, runtime.camelContext())
                        : List.of(new FlowRow(flow.name(), () -> -1, List.of())));
            }
            out.printf("Started in %.1f s: %s; Kafka at %s; %d route file(s) from %s%n", (System.nanoTime() - t0) / 1e9,
                    infra.servers().stream().map(Server::label).collect(Collectors.joining(", ")), resolved.get("kafka.bootstrap"),
                    routeFiles.size(), routeFiles.get(0).getParent());
            announcements.forEach(out::println);
            JunctionRuntime.managementUrl(resolved).ifPresent(base ->
                    out.println("Health: " + base + "/observe/health   Metrics: " + base + "/observe/metrics"));
            String logFile = System.getProperty("junction.log.file");
            if (logFile != null) {
                out.println("Log: " + logFile);
            }
            out.println("Ctrl-C stops the demo.");
            // Redrawn in place only on a terminal that nothing else writes to (--verbose puts log lines there).
            parts.add(FlowTable.start(runtime.camelContext(), rows, out, config.getInt("junction.demo.progress-interval-ms"),
                    System.console() != null && !verbose));
            parts.addAll(demos);
            parts.add(runtime);
            parts.add(infra);
            return new Running(parts);
        } catch (RuntimeException e) {
            List<AutoCloseable> started = new ArrayList<>(demos);
            if (runtime != null) {
                started.add(runtime);
            }
            started.add(infra);
            new Running(started).close();
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
