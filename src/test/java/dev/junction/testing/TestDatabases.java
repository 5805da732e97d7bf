package dev.junction.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.junction.infra.EmbeddedDatabase;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;

/**
 * The test JVM's one PostgreSQL and one MariaDB server, each started on first use and stopped when the JVM exits.
 * Tests make databases of their own with {@link #newDatabase(EmbeddedDatabase, String)}.
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;
    private static EmbeddedMariaDb mariaDb;

    private TestDatabases() {
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgres.start(tempDir("junction-test-pg"), 0);
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-postgres-stop"));
        }
        return postgres;
    }

    public static synchronized EmbeddedMariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = EmbeddedMariaDb.start(tempDir("junction-test-mariadb"), 0);
            EmbeddedMariaDb started = mariaDb;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-mariadb-stop"));
        }
        return mariaDb;
    }

    /** A new, empty database on {@code server}; returns its JDBC URL. */
    public static String newDatabase(EmbeddedDatabase server, String prefix) {
        String name = TestKafka.uniqueName(prefix).replace('-', '_');
        server.createDatabase(name);
        return server.jdbcUrl(name);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
