package dev.junction.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.junction.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** The embedded servers are real: they keep rows, and have the WAL / binlog settings that CDC needs. */
class EmbeddedDatabasesTest {

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(rs.getMetaData().getColumnCount());
        }
    }

    @Test
    void postgresStoresRowsWithLogicalWal() throws Exception {
        EmbeddedPostgres pg = TestDatabases.postgres();
        String url = TestDatabases.newDatabase(pg, "pgcheck");
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id bigserial PRIMARY KEY, v text)");
                s.execute("INSERT INTO t (v) VALUES ('a'), ('b')");
            }
            assertThat(scalar(c, "SELECT count(*) FROM t")).isEqualTo("2");
            assertThat(scalar(c, "SHOW wal_level")).isEqualTo("logical");
        }
    }

    @Test
    void mariaDbStoresRowsWithRowBinlog() throws Exception {
        EmbeddedMariaDb db = TestDatabases.mariaDb();
        String url = TestDatabases.newDatabase(db, "mariacheck");
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id bigint AUTO_INCREMENT PRIMARY KEY, v text)");
                s.execute("INSERT INTO t (v) VALUES ('a'), ('b')");
            }
            assertThat(scalar(c, "SELECT count(*) FROM t")).isEqualTo("2");
            assertThat(scalar(c, "SHOW VARIABLES LIKE 'log_bin'")).isEqualTo("ON");
            assertThat(scalar(c, "SHOW VARIABLES LIKE 'binlog_format'")).isEqualTo("ROW");
        }
    }
}
