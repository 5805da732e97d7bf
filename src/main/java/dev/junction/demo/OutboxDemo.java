package dev.junction.demo;

import java.sql.SQLException;

import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxEndpoint;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.support.JunctionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/** The demo's outbox pieces: tables, a second relay for MariaDB, writers, and the backlog for the progress line. */
final class OutboxDemo {

    private OutboxDemo() {
    }

    static void createTable(String url, String user, String password, String table) {
        try {
            new OutboxMaintenance(OutboxConfiguration.of(url, user, password, table)).initSchema();
        } catch (SQLException e) {
            throw new JunctionException("the demo cannot create its outbox table at " + url + ": " + e.getMessage());
        }
    }

    /** A relay route like routes/outbox-relay.camel.yaml, on another database, counted as flow {@code flow}. */
    static void addRelay(CamelContext context, String flow, String url, String user, String password, String table) {
        try {
            OutboxEndpoint endpoint = context.getEndpoint("outbox:" + table + "?flow=" + flow, OutboxEndpoint.class);
            endpoint.getConfiguration().setUrl(url);
            endpoint.getConfiguration().setUser(user);
            endpoint.getConfiguration().setPassword(password);
            endpoint.getConfiguration().setLockName("junction-outbox-" + flow);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId(flow).routeGroup("outbox-relay")
                            .to("micrometer:counter:junction.flow.records?tags.flow=" + flow);
                }
            });
        } catch (Exception e) {
            throw new JunctionException("the demo cannot start its MariaDB relay: " + e.getMessage(), e);
        }
    }

    static OutboxDemoWriter writer(String name, String url, String user, String password, String table, int rowsPerSecond) {
        OutboxDemoWriter writer = new OutboxDemoWriter(name, url, user, password, table, rowsPerSecond);
        writer.start();
        return writer;
    }

    /** The relay's backlog gauge for one database dialect (postgresql or mysql), -1 before its first reading. */
    static long backlog(MeterRegistry registry, String database) {
        return Search.in(registry).name("junction.outbox.backlog").tag("database", database).gauges().stream()
                .mapToLong(g -> (long) g.value()).findFirst().orElse(-1);
    }
}
