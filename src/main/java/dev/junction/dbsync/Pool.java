package dev.junction.dbsync;

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
}
