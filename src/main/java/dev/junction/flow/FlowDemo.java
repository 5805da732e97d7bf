package dev.junction.flow;

import java.util.List;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Server;
import org.apache.camel.CamelContext;

/**
 * A flow's part of the demo: sample data and any remote site, in two steps around the start of the routes,
 * and the rows it shows in the demo's table. Closed when the demo stops: after the table, before the routes and
 * the servers.
 */
public interface FlowDemo extends AutoCloseable {

    /** Servers the demo needs beyond the flow's own (a MariaDB next to PostgreSQL, a remote site's cluster). */
    default Set<Server> servers() {
        return Set.of();
    }

    /**
     * Before the routes start: the servers, tables, topics and settings the flow's demo needs. Returns the
     * configuration the routes run with (the given one plus this flow's demo settings).
     */
    JunctionConfig prepare(DemoSite site, JunctionConfig config);

    /** After the routes started: sample data feeders and extra routes. Returns this flow's rows of the table. */
    List<FlowRow> start(DemoSite site, CamelContext camel);

    /** Stops the feeders and any client of its own (servers belong to the demo's infrastructure). */
    @Override
    void close();
}
