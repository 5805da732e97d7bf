package dev.junction.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.junction.support.JunctionException;

/** Opens connections to the outbox's database and turns the usual mistakes into messages a user can act on. */
final class OutboxDatabase {

    static {
        // JVM-wide: a database that does not answer fails the connect after 10 s instead of hanging.
        DriverManager.setLoginTimeout(10);
    }

    private final OutboxConfiguration config;
    private final OutboxTable table;

    OutboxDatabase(OutboxConfiguration config) {
        if (config.getUrl() == null || config.getUrl().isBlank()) {
            throw new JunctionException("the outbox has no database URL; set DB_URL (or camel.component.outbox.url)");
        }
        this.config = config;
        this.table = new OutboxTable(OutboxDialect.forUrl(config.getUrl()), config.getTable());
    }

    OutboxTable table() {
        return table;
    }

    String url() {
        return config.getUrl();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(config.getUrl(), config.getUser(), config.getPassword());
    }

    /** A connection with {@code sessionSettings} (the dialect's statements for a relay or maintenance session) run on it. */
    Connection connect(List<String> sessionSettings) throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            for (String setting : sessionSettings) {
                s.execute(setting);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Connects and checks the table exists; any problem becomes one clear {@link JunctionException}. */
    void verify() {
        try (Connection c = connect()) {
            if (!table.exists(c)) {
                throw new JunctionException("outbox table '" + table.name() + "' does not exist at " + url()
                        + "; create it with `java -jar target/junction.jar --init-schema` or set DB_OUTBOX_TABLE");
            }
        } catch (SQLException e) {
            throw new JunctionException("cannot connect to the outbox database " + url() + " as user '"
                    + config.getUser() + "': " + firstLine(e.getMessage()) + "; check DB_URL, DB_USER and DB_PASSWORD", e);
        }
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
