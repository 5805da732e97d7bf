package dev.junction.outbox.plugin;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.Server;
import dev.junction.observe.FlowMetrics;
import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxEndpoint;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.support.JunctionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The outbox relay's demo: outbox tables in PostgreSQL (relayed by routes/outbox-relay.camel.yaml) and in MariaDB
 * (relayed by a second route of the same component), and an application writing rows into each.
 */
final class OutboxDemo implements FlowDemo {

    private static final String MARIADB_FLOW = "outbox-mariadb";

    private final List<AutoCloseable> writers = new ArrayList<>();
    private String table;
    private String pgUrl;
    private String pgUser;
    private String pgPassword;
    private EmbeddedMariaDb mariaDb;
    private String mariaUrl;

    @Override
    public Set<Server> servers() {
        return Set.of(Server.MARIADB);
    }

    @Override
    public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
        table = config.get("db.outbox.table");
        pgUrl = config.get("db.url");
        pgUser = config.find("db.user").orElse(null);
        pgPassword = config.find("db.password").orElse("");
        mariaDb = site.infra().mariaDb();
        mariaDb.createDatabase(OutboxDatabaseSettings.EMBEDDED_DATABASE);
        mariaUrl = mariaDb.jdbcUrl(OutboxDatabaseSettings.EMBEDDED_DATABASE);
        createTable(pgUrl, pgUser, pgPassword);
        createTable(mariaUrl, mariaDb.user(), mariaDb.password());
        site.announce("outbox-relay: PostgreSQL at " + pgUrl + ", MariaDB at " + mariaUrl + ", table " + table);
        return config;
    }

    @Override
    public List<FlowRow> start(DemoSite site, CamelContext camel) {
        addMariaDbRelay(camel);
        writers.add(OutboxDemoWriter.start("postgresql", pgUrl, pgUser, pgPassword, table, site.recordsPerSecond()));
        writers.add(OutboxDemoWriter.start("mariadb", mariaUrl, mariaDb.user(), mariaDb.password(), table,
                site.recordsPerSecond()));
        MeterRegistry registry = FlowMetrics.registry(camel);
        return List.of(
                new FlowRow("outbox-relay", () -> backlog(registry, "postgresql"),
                        List.of("outbox-database-outbox-relay-", "route:outbox-relay")),
                new FlowRow(MARIADB_FLOW, () -> backlog(registry, "mysql"),
                        List.of("outbox-database-" + MARIADB_FLOW + "-", "route:" + MARIADB_FLOW)));
    }

    private void createTable(String url, String user, String password) {
        try {
            new OutboxMaintenance(OutboxConfiguration.of(url, user, password, table)).initSchema();
        } catch (SQLException e) {
            throw new JunctionException("the demo cannot create its outbox table at " + url + ": " + e.getMessage());
        }
    }

    /** A relay route like routes/outbox-relay.camel.yaml, on MariaDB, counted as its own flow. */
    private void addMariaDbRelay(CamelContext context) {
        try {
            OutboxEndpoint endpoint = context.getEndpoint("outbox:" + table + "?flow=" + MARIADB_FLOW, OutboxEndpoint.class);
            endpoint.getConfiguration().setUrl(mariaUrl);
            endpoint.getConfiguration().setUser(mariaDb.user());
            endpoint.getConfiguration().setPassword(mariaDb.password());
            endpoint.getConfiguration().setLockName("junction-outbox-" + MARIADB_FLOW);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId(MARIADB_FLOW).routeGroup("outbox-relay")
                            .to("micrometer:counter:junction.flow.records?tags.flow=" + MARIADB_FLOW);
                }
            });
        } catch (Exception e) {
            throw new JunctionException("the demo cannot start its MariaDB relay: " + e.getMessage(), e);
        }
    }

    /** The relay's backlog gauge for one database dialect (postgresql or mysql), -1 before its first reading. */
    private static long backlog(MeterRegistry registry, String database) {
        return Search.in(registry).name("junction.outbox.backlog").tag("database", database).gauges().stream()
                .mapToLong(g -> (long) g.value()).findFirst().orElse(-1);
    }

    @Override
    public void close() {
        for (AutoCloseable writer : writers) {
            try {
                writer.close();
            } catch (Exception ignored) {
                // a writer's close only stops its timer
            }
        }
    }
}
