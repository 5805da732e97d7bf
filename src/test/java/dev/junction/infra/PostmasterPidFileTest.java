package dev.junction.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash leaves PostgreSQL's postmaster.pid behind: the next start comes up whether that pid is dead or has been
 * reused by a live process that is not a postgres (PostgreSQL alone refuses the second case).
 */
class PostmasterPidFileTest {

    @TempDir
    Path dataDir;

    @Test
    void startsOverALockFileOfADeadProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertStartsOverLockFileOf(gone.pid());
    }

    @Test
    void startsOverALockFileWhosePidIsNowAnotherProcess() throws Exception {
        // Not this JVM's pid: PostgreSQL skips the pid of pg_ctl's parent itself.
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            assertStartsOverLockFileOf(other.pid());
        } finally {
            other.destroyForcibly();
        }
    }

    private void assertStartsOverLockFileOf(long pid) throws Exception {
        EmbeddedPostgres.start(dataDir, 0).close();
        Path lockFile = dataDir.resolve("postmaster.pid");
        Files.writeString(lockFile, pid + "\n" + dataDir.toRealPath() + "\n");

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0);
             Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid() > 0")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(Files.readAllLines(lockFile).get(0)).isNotEqualTo(Long.toString(pid));
        }
    }
}
