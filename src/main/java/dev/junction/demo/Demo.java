package dev.junction.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.DatabaseSettings;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.Infrastructure;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.observe.FlowMetrics;
import dev.junction.observe.ProgressReporter;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.runtime.RouteFiles;
import dev.junction.runtime.Running;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The main job: embedded infrastructure, every flow's routes, sample data, and a live progress line per flow.
 * Each flow adds its line here (name and lag) and, where it needs one, its sample-data feeder.
 */
public final class Demo {

    private Demo() {
    }

    public static Running start(JunctionConfig config, PrintStream out) {
        List<Path> routeFiles = RouteFiles.resolve(config.get("junction.routes"), Path.of("").toAbsolutePath());
        List<AutoCloseable> parts = new ArrayList<>();
        Infrastructure infra = new Infrastructure(config);
        try {
            long t0 = System.nanoTime();
            String bootstrap = infra.kafkaBootstrap();
            JunctionConfig resolved = DatabaseSettings.resolve(config.with("kafka.bootstrap", bootstrap), infra);
            EmbeddedMariaDb mariaDb = infra.mariaDb();
            mariaDb.createDatabase(DatabaseSettings.EMBEDDED_DATABASE);
            String mariaUrl = mariaDb.jdbcUrl(DatabaseSettings.EMBEDDED_DATABASE);
            out.printf("Infrastructure ready in %.1f s: Kafka at %s, PostgreSQL at %s, MariaDB at %s%n",
                    (System.nanoTime() - t0) / 1e9, bootstrap, resolved.get("db.url"), mariaUrl);

            // The demo's own sample set-up: outbox tables in both databases, and an application writing to them.
            String table = resolved.get("db.outbox.table");
            OutboxDemo.createTable(resolved.get("db.url"), resolved.get("db.user"), resolved.get("db.password"), table);
            OutboxDemo.createTable(mariaUrl, mariaDb.user(), mariaDb.password(), table);

            // quic-sync: a second embedded cluster is the remote site; both ends run here over QUIC on loopback.
            Path dataDir = Path.of(resolved.get("junction.data.dir")).toAbsolutePath();
            QuicSyncDemo quicSync = QuicSyncDemo.start(dataDir);
            parts.add(quicSync);
            resolved = quicSync.configure(resolved, dataDir);
            QuicSyncDemo.createTopic(bootstrap);
            out.printf("Remote site for quic-sync: a second Kafka cluster at %s%n", quicSync.remoteBootstrap());

            JunctionRuntime runtime = JunctionRuntime.start(resolved, routeFiles, false);
            parts.add(0, runtime);
            // routes/outbox-relay.camel.yaml relays PostgreSQL; a second relay of the same component serves MariaDB.
            OutboxDemo.addRelay(runtime.camelContext(), "outbox-mariadb", mariaUrl, mariaDb.user(), mariaDb.password(), table);

            int rate = resolved.getInt("junction.demo.outbox-rows-per-second");
            parts.add(0, OutboxDemo.writer("postgresql", resolved.get("db.url"), resolved.get("db.user"), resolved.get("db.password"), table, rate));
            parts.add(0, OutboxDemo.writer("mariadb", mariaUrl, mariaDb.user(), mariaDb.password(), table, rate));

            quicSync.startWriting(bootstrap, rate);

            ConsumerGroupLag lag = new ConsumerGroupLag(bootstrap);
            parts.add(0, lag);
            String quicSyncGroup = resolved.get("quic-sync.group");
            MeterRegistry registry = FlowMetrics.registry(runtime.camelContext());
            List<ProgressReporter.Flow> flows = List.of(
                    new ProgressReporter.Flow("heartbeat", () -> lag.lag(config.get("heartbeat.group"))),
                    new ProgressReporter.Flow("outbox-relay", () -> OutboxDemo.backlog(registry, "postgresql")),
                    new ProgressReporter.Flow("outbox-mariadb", () -> OutboxDemo.backlog(registry, "mysql")),
                    new ProgressReporter.Flow("quic-sync", () -> lag.lag(quicSyncGroup)));
            ProgressReporter reporter = new ProgressReporter(registry, flows,
                    config.getInt("junction.demo.progress-interval-ms"));
            reporter.start();
            parts.add(0, reporter);
            out.printf("Demo running: %d route file(s), progress every %s ms; Ctrl-C stops it.%n",
                    routeFiles.size(), config.get("junction.demo.progress-interval-ms"));
            parts.add(infra);
            return new Running(parts);
        } catch (RuntimeException e) {
            new Running(parts).close();
            infra.close();
            throw e;
        }
    }
}
