package dev.junction.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
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

    /** How long a maintenance statement waits for a row lock before it gives up and is tried again. */
    int LOCK_WAIT_SECONDS = 5;

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

    /** An index hint after a table name that makes a lookup by id use the primary key ("" where none is needed). */
    default String primaryKeyHint() {
        return "";
    }

    /** The test after "id" for a list of {@code n} ids: " IN (?, ...)", or one array parameter where there are arrays. */
    default String inIds(int n) {
        return " IN (" + String.join(",", Collections.nCopies(n, "?")) + ")";
    }

    /** Binds the ids of {@link #inIds(int)} from parameter {@code first} on; returns the next parameter's index. */
    default int bindIds(PreparedStatement s, int first, List<Long> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            s.setLong(first + i, ids.get(i));
        }
        return first + ids.size();
    }

    /** SQL of the time {@code ?} seconds ago. */
    String secondsAgo();

    /**
     * Statements run once on a maintenance session (cleanup): wait at most a few seconds for a row lock, and on
     * MySQL/MariaDB read committed rows without gap locks.
     */
    List<String> maintenanceSessionSettings();

    /** Whether the statement failed on a lock wait timeout or a deadlock: trying again later helps. */
    boolean isLockConflict(SQLException e);

    /** Channel that an insert trigger notifies, where the database has LISTEN/NOTIFY; null where it has not. */
    default String notifyChannel(String table) {
        return null;
    }

    /**
     * Statements run once on the relay's own session. PostgreSQL: its commits (published marks) need not wait for
     * the WAL flush: a mark lost in a database crash only makes the rows go out again, with the same event ids.
     * MySQL/MariaDB: READ COMMITTED, so that the claim's row locks are record locks only, never gap locks that
     * would hold up the application's inserts.
     */
    List<String> relaySessionSettings();

    /** Quotes an identifier (table name) for this database. */
    String quote(String identifier);
}
