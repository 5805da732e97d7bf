package dev.junction.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** MySQL 8 and MariaDB 10.6+: GET_LOCK as the leader lock, OPTIMIZE TABLE, UUID() event ids. */
final class MySqlOutboxDialect implements OutboxDialect {

    private static final String READ_COMMITTED = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public List<String> createTable(String table) {
        return List.of("CREATE TABLE " + quote(table) + " ("
                + " id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                + " event_id char(36) NOT NULL DEFAULT (UUID()),"
                + " aggregate_type varchar(255) NOT NULL,"
                + " aggregate_id varchar(255) NOT NULL,"
                + " event_type varchar(255) NOT NULL,"
                + " payload longblob,"
                + " headers text,"
                + " topic varchar(249),"
                + " created_at timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                + " published_at timestamp(6) NULL,"
                + " attempts int NOT NULL DEFAULT 0,"
                + " last_error text,"
                + " failed_at timestamp(6) NULL,"
                + " UNIQUE KEY " + quote(table + "_event_id") + " (event_id),"
                + " KEY " + quote(table + "_pending") + " (published_at, failed_at, id),"
                + " KEY " + quote(table + "_aggregate") + " (aggregate_type, aggregate_id, failed_at)"
                + ") ENGINE=InnoDB");
    }

    @Override
    public boolean tryLeaderLock(Connection connection, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            // Lock names are at most 64 characters.
            s.setString(1, name.length() > 64 ? name.substring(0, 64) : name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @Override
    public String now() {
        return "NOW(6)";
    }

    @Override
    public String oldestAgeSeconds() {
        return "COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(6)), 0)";
    }

    @Override
    public String primaryKeyHint() {
        return " FORCE INDEX (PRIMARY)";
    }

    @Override
    public String secondsAgo() {
        return "NOW(6) - INTERVAL ? SECOND";
    }

    @Override
    public List<String> relaySessionSettings() {
        return List.of(READ_COMMITTED);
    }

    @Override
    public List<String> maintenanceSessionSettings() {
        return List.of(READ_COMMITTED, "SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT_SECONDS);
    }

    @Override
    public boolean isLockConflict(SQLException e) {
        return e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT || e.getErrorCode() == ER_LOCK_DEADLOCK;
    }

    @Override
    public String optimize(String table) {
        return "OPTIMIZE TABLE " + quote(table);
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
