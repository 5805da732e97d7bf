package dev.junction.dbsync.plugin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.junction.config.JunctionConfig;
import dev.junction.dbsync.LegacyFilms;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.infra.Infrastructure;
import dev.junction.support.JunctionException;

/**
 * Fills in db-sync's databases that are not configured: the embedded MariaDB as the legacy database (database
 * {@code sakila} with Sakila's film and language tables and the uuid column) and the embedded PostgreSQL as the
 * catalogue's (database {@code catalogue}).
 */
public final class DbSyncDatabases {

    static final String LEGACY_DATABASE = "sakila";
    static final String CATALOGUE_DATABASE = "catalogue";
    /**
     * The embedded legacy database's credentials for db-sync. The embedded server skips grant tables (any password
     * is let in), but Debezium refuses an empty one. A real legacy server needs a user with the grants Debezium's
     * MySQL/MariaDB connectors document: SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT
     * (BINLOG MONITOR on MariaDB), and INSERT, UPDATE, DELETE on film for the API's changes.
     */
    public static final String LEGACY_USER = "root";
    public static final String LEGACY_PASSWORD = "junction";

    private DbSyncDatabases() {
    }

    static boolean embeddedLegacy(JunctionConfig config) {
        return config.find("db-sync.legacy.host").isEmpty();
    }

    static boolean embeddedCatalogue(JunctionConfig config) {
        return config.find("db-sync.catalogue.url").isEmpty();
    }

    public static JunctionConfig resolve(JunctionConfig config, Infrastructure infra) {
        JunctionConfig resolved = config;
        if (embeddedLegacy(config)) {
            EmbeddedMariaDb maria = infra.mariaDb();
            maria.createDatabase(LEGACY_DATABASE);
            createSakila(maria.jdbcUrl(LEGACY_DATABASE), maria.user(), maria.password());
            resolved = resolved.with("db-sync.legacy.host", "localhost")
                    .with("db-sync.legacy.port", String.valueOf(maria.port()))
                    .with("db-sync.legacy.database", LEGACY_DATABASE)
                    .with("db-sync.legacy.user", LEGACY_USER)
                    .with("db-sync.legacy.password", LEGACY_PASSWORD);
        }
        if (embeddedCatalogue(config)) {
            EmbeddedPostgres pg = infra.postgres();
            pg.createDatabase(CATALOGUE_DATABASE);
            resolved = resolved.with("db-sync.catalogue.url", pg.jdbcUrl(CATALOGUE_DATABASE))
                    .with("db-sync.catalogue.user", pg.user())
                    .with("db-sync.catalogue.password", pg.password());
        }
        return resolved;
    }

    /** Sakila's tables with db-sync's uuid column, on the embedded legacy database (a no-op when they exist). */
    public static void createSakila(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String sql : LegacyFilms.sakilaTables()) {
                s.execute(sql);
            }
            for (String sql : LegacyFilms.addUuidColumn()) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new JunctionException("cannot create Sakila's film table on the embedded MariaDB: " + e.getMessage(), e);
        }
    }
}
