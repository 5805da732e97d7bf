package dev.junction.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.junction.support.JunctionException;

/**
 * What differs between PostgreSQL and MySQL/MariaDB for the outbox: DDL, the leader lock, bulk updates and the
 * optimize statement. Chosen from the JDBC URL.
 */
public interface OutboxDialect {

    static OutboxDialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresOutboxDialect();
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return new MySqlOutboxDialect();
        }
        throw new JunctionException("unsupported database URL '" + jdbcUrl
                + "' (DB_URL); the outbox supports jdbc:postgresql:, jdbc:mariadb: and jdbc:mysql:");
    }

    String name();

    /** CREATE TABLE (and indexes, triggers) for an outbox table named {@code table}. */
    List<String> createTable(String table);

    /** Takes the session-scoped leader lock {@code name} without waiting; true when this session holds it. */
    boolean tryLeaderLock(Connection connection, String name) throws SQLException;

    /** SQL of the current time with microseconds, as the database writes it into published_at. */
    String now();

    /** The statement that gives space back after deletes: VACUUM (ANALYZE) or OPTIMIZE TABLE. */
    String optimize(String table);

    /** SQL for the age in seconds of the oldest {@code created_at} among the selected rows (0 when none). */
    String oldestAgeSeconds();

    /**
     * DELETE of at most {@code ?2} rows of {@code quotedTable} published more than {@code ?1} seconds ago, in id
     * order (each call one short transaction).
     */
    String deletePublishedBefore(String quotedTable);

    /** Channel that an insert trigger notifies, where the database has LISTEN/NOTIFY; null where it has not. */
    default String notifyChannel(String table) {
        return null;
    }

    /**
     * Statements run once on the relay's own session. PostgreSQL: its commits (published marks) need not wait for
     * the WAL flush: a mark lost in a database crash only makes the rows go out again, with the same event ids.
     */
    default List<String> relaySessionSettings() {
        return List.of();
    }

    /** Quotes an identifier (table name) for this database. */
    String quote(String identifier);
}
