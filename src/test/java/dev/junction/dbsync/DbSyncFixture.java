package dev.junction.dbsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.junction.dbsync.plugin.DbSyncDatabases;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestDatabases;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;

/**
 * One db-sync on fresh databases of the test JVM's MariaDB (the legacy, with Sakila's tables) and PostgreSQL (the
 * catalogue), with topics of its own, the shipped routes and an API port of its own.
 */
final class DbSyncFixture implements AutoCloseable {

    final String legacyDatabase;
    final String catalogueUrl;
    final String legacyTopic = TestKafka.uniqueName("dbsync-legacy");
    final String catalogueTopic = TestKafka.uniqueName("dbsync-catalogue");
    final String deadLetterTopic = TestKafka.uniqueName("dbsync-dlq");
    final int apiPort = Ports.freePort();
    final Path stateDir;
    private final int serverId = 6000 + (int) (Math.random() * 1000);
    private final EmbeddedMariaDb maria = TestDatabases.mariaDb();
    private final EmbeddedPostgres pg = TestDatabases.postgres();
    private JunctionRuntime runtime;

    DbSyncFixture() throws IOException {
        String legacyUrl = TestDatabases.newDatabase(maria, "sakila");
        legacyDatabase = legacyUrl.substring(legacyUrl.lastIndexOf('/') + 1);
        DbSyncDatabases.createSakila(legacyUrl, maria.user(), maria.password());
        catalogueUrl = TestDatabases.newDatabase(pg, "catalogue");
        stateDir = Files.createTempDirectory("dbsync-state");
    }

    DbSyncFixture start() {
        return start(Map.of());
    }

    /** Starts db-sync in this JVM with {@code overrides} on top of {@link #settings()}. */
    DbSyncFixture start(Map<String, String> overrides) {
        Map<String, String> settings = settings();
        settings.putAll(overrides);
        runtime = TestJunction.start(List.of(TestJunction.repoRoute("db-sync.camel.yaml"),
                TestJunction.repoRoute("catalogue-api.camel.yaml")), settings);
        return this;
    }

    JunctionRuntime runtime() {
        return runtime;
    }

    /** db-sync's settings for these databases, topics, state directory and API port. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("db-sync.enabled", "true");
        settings.put("db-sync.legacy.host", "localhost");
        settings.put("db-sync.legacy.port", String.valueOf(maria.port()));
        settings.put("db-sync.legacy.database", legacyDatabase);
        settings.put("db-sync.legacy.user", DbSyncDatabases.LEGACY_USER);
        settings.put("db-sync.legacy.password", DbSyncDatabases.LEGACY_PASSWORD);
        settings.put("db-sync.legacy.server-id", String.valueOf(serverId));
        settings.put("db-sync.catalogue.url", catalogueUrl);
        settings.put("db-sync.catalogue.user", pg.user());
        settings.put("db-sync.catalogue.password", pg.password());
        settings.put("db-sync.legacy-topic", legacyTopic);
        settings.put("db-sync.catalogue-topic", catalogueTopic);
        settings.put("db-sync.dead-letter-topic", deadLetterTopic);
        settings.put("db-sync.group", TestKafka.uniqueName("dbsync"));
        settings.put("db-sync.state-dir", stateDir.toString());
        settings.put("camel.server.port", String.valueOf(apiPort));
        return settings;
    }

    String api(String path) {
        return "http://localhost:" + apiPort + "/api/v1" + path;
    }

    Connection legacy() throws SQLException {
        return DriverManager.getConnection(maria.jdbcUrl(legacyDatabase), maria.user(), maria.password());
    }

    Connection catalogue() throws SQLException {
        return DriverManager.getConnection(catalogueUrl, pg.user(), pg.password());
    }

    /** Runs one statement on the legacy database; returns the rows it matched. */
    int legacySql(String sql, Object... args) throws SQLException {
        try (Connection c = legacy(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** The legacy film with this uuid: its shared columns by name, or empty. */
    Optional<Map<String, Object>> legacyFilm(String uuid) throws SQLException {
        try (Connection c = legacy(); PreparedStatement s = c.prepareStatement(
                "SELECT title, description, release_year, rating, length FROM film WHERE uuid = ?")) {
            s.setString(1, uuid);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new HashMap<>();
                row.put("title", rs.getString(1));
                row.put("description", rs.getString(2));
                row.put("year", rs.getObject(3) == null ? null : rs.getInt(3));
                row.put("rating", rs.getString(4));
                row.put("length", rs.getObject(5) == null ? null : rs.getInt(5));
                return Optional.of(row);
            }
        }
    }

    /** Every legacy film as uuid -> "title|description|year|rating|length". */
    Map<String, String> legacyContent() throws SQLException {
        return content(legacy(), "SELECT uuid, title, description, release_year, rating, length FROM film");
    }

    /** Every live catalogue item as uuid -> "title|description|year|rating|length". */
    Map<String, String> catalogueContent() throws SQLException {
        return content(catalogue(), "SELECT uuid, title, description, release_year, rating, length FROM catalogue WHERE deleted = false");
    }

    private static Map<String, String> content(Connection connection, String sql) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = connection; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object year = rs.getObject(4);
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|"
                        + (year == null ? null : ((Number) (year instanceof java.sql.Date d ? d.toLocalDate().getYear() : year)).intValue())
                        + "|" + rs.getString(5) + "|" + rs.getObject(6));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
