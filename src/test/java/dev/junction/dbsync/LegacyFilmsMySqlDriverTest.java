package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import dev.junction.dbsync.plugin.DbSyncDatabases;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * db-sync's legacy writes through MySQL's own driver (jdbc:mysql:, as for a MySQL 8 legacy database; here on the
 * test MariaDB): the driver ships, and "no row changed" is told from "no such row" with it too.
 */
class LegacyFilmsMySqlDriverTest {

    @Test
    void theMySqlDriverWritesTheLegacyFilms() throws Exception {
        EmbeddedMariaDb maria = TestDatabases.mariaDb();
        String mariaUrl = TestDatabases.newDatabase(maria, "sakila");
        DbSyncDatabases.createSakila(mariaUrl, maria.user(), maria.password());
        String mysqlUrl = mariaUrl.replace("jdbc:mariadb:", "jdbc:mysql:");
        String uuid = UUID.randomUUID().toString();
        FilmFields fields = new FilmFields("O'Brien; DROP TABLE film; --", "d", 1999, "PG", 90);
        try (LegacyFilms films = new LegacyFilms(mysqlUrl, DbSyncDatabases.LEGACY_USER, DbSyncDatabases.LEGACY_PASSWORD, 1)) {
            films.checkUuidColumn();
            assertThat(films.apply(new CatalogueChange(uuid, fields, false, 1))).isEqualTo(LegacyFilms.Written.WRITTEN);
            assertThat(films.apply(new CatalogueChange(uuid, fields, false, 2))).isEqualTo(LegacyFilms.Written.ALREADY_THERE);
            assertThat(title(mariaUrl, maria, uuid)).isEqualTo("O'Brien; DROP TABLE film; --");
            assertThat(films.apply(new CatalogueChange(uuid, null, true, 3))).isEqualTo(LegacyFilms.Written.WRITTEN);
            assertThat(films.apply(new CatalogueChange(uuid, null, true, 4))).isEqualTo(LegacyFilms.Written.ALREADY_THERE);
            assertThat(title(mariaUrl, maria, uuid)).isNull();
        }
    }

    private static String title(String url, EmbeddedMariaDb maria, String uuid) throws Exception {
        try (Connection c = DriverManager.getConnection(url, maria.user(), maria.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT title FROM film WHERE uuid = '" + uuid + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
