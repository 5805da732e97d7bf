package dev.junction.dbsync;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A small JDBC connection pool (HikariCP) for one of db-sync's databases. */
final class Pool {

    private Pool() {
    }

    static HikariDataSource open(String name, String url, String user, String password, int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("db-sync-" + name);
        c.setJdbcUrl(url);
        c.setUsername(user == null || user.isEmpty() ? null : user);
        c.setPassword(password);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(10_000);
        // Fail at the first request, not at start-up: the route starts and its health check says what is wrong.
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    /** Why the pool's database cannot be used now, or null when it answers. */
    static String problem(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2) ? null : "it did not answer within 2 s";
        } catch (SQLException e) {
            return e.getMessage().lines().findFirst().orElse(e.toString());
        }
    }
}
