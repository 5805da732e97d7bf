package dev.junction.dbsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.support.JunctionException;

/**
 * The legacy database's {@code film} table (Sakila's, with a {@code uuid} column added), as db-sync writes it. Every
 * statement carries the {@link SyncMarker} of the catalogue version it applies, so that its echo is recognised.
 */
public final class LegacyFilms implements AutoCloseable {

    /** The result of writing one API change: written (its echo will come back) or nothing to write. */
    public enum Written { WRITTEN, ALREADY_THERE }

    private final HikariDataSource pool;
    private final int languageId;

    /**
     * {@code url} should carry {@code useAffectedRows=true} (MariaDB Connector/J) so that an UPDATE that changes
     * nothing counts 0: such a statement writes no binlog event and no echo will come. It is added when missing.
     */
    public LegacyFilms(String url, String user, String password, int languageId) {
        this.pool = Pool.open("legacy", withAffectedRows(url), user, password, 4);
        this.languageId = languageId;
    }

    static String withAffectedRows(String url) {
        if (url.contains("useAffectedRows")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "useAffectedRows=true";
    }

    /**
     * Sakila's {@code language} and {@code film} tables (the columns of sakila-schema.sql), with the uuid column
     * db-sync adds, for the embedded database of the demo and the tests. A real legacy database only needs
     * {@link #addUuidColumn()}.
     */
    public static List<String> sakilaTables() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS language ("
                        + " language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                        + " name CHAR(20) NOT NULL,"
                        + " last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                        + " PRIMARY KEY (language_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "INSERT IGNORE INTO language (language_id, name) VALUES (1, 'English'), (2, 'Italian'), (3, 'Japanese'),"
                        + " (4, 'Mandarin'), (5, 'French'), (6, 'German')",
                "CREATE TABLE IF NOT EXISTS film ("
                        + " film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                        + " title VARCHAR(128) NOT NULL,"
                        + " description TEXT DEFAULT NULL,"
                        + " release_year YEAR DEFAULT NULL,"
                        + " language_id TINYINT UNSIGNED NOT NULL,"
                        + " original_language_id TINYINT UNSIGNED DEFAULT NULL,"
                        + " rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3,"
                        + " rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99,"
                        + " length SMALLINT UNSIGNED DEFAULT NULL,"
                        + " replacement_cost DECIMAL(5,2) NOT NULL DEFAULT 19.99,"
                        + " rating ENUM('G','PG','PG-13','R','NC-17') DEFAULT 'G',"
                        + " special_features SET('Trailers','Commentaries','Deleted Scenes','Behind the Scenes') DEFAULT NULL,"
                        + " last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                        + " PRIMARY KEY (film_id),"
                        + " KEY idx_title (title),"
                        + " KEY idx_fk_language_id (language_id),"
                        + " CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id)"
                        + " ON DELETE RESTRICT ON UPDATE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    }

    /** The one change db-sync asks of a legacy film table: a uuid per row, a new one for every legacy insert. */
    public static List<String> addUuidColumn() {
        return List.of("ALTER TABLE film ADD COLUMN IF NOT EXISTS uuid CHAR(36) NOT NULL DEFAULT (UUID())",
                "CREATE UNIQUE INDEX IF NOT EXISTS film_uuid ON film (uuid)");
    }

    /** Writes API change {@code change} to the legacy row with its uuid (inserting it when missing). */
    public Written apply(CatalogueChange change) throws SQLException {
        String marker = SyncMarker.comment(change.version());
        try (Connection c = pool.getConnection()) {
            if (change.deleted()) {
                try (PreparedStatement s = c.prepareStatement(marker + "DELETE FROM film WHERE uuid = ?")) {
                    s.setString(1, change.uuid());
                    return s.executeUpdate() > 0 ? Written.WRITTEN : Written.ALREADY_THERE;
                }
            }
            FilmFields f = change.fields();
            try (PreparedStatement s = c.prepareStatement(marker + "UPDATE film SET title = ?, description = ?,"
                    + " release_year = ?, rating = ?, length = ? WHERE uuid = ?")) {
                bind(s, f);
                s.setString(6, change.uuid());
                if (s.executeUpdate() > 0) {
                    return Written.WRITTEN;
                }
            }
            if (exists(c, change.uuid())) {
                return Written.ALREADY_THERE;
            }
            try (PreparedStatement s = c.prepareStatement(marker + "INSERT INTO film (title, description, release_year,"
                    + " rating, length, uuid, language_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, f);
                s.setString(6, change.uuid());
                s.setInt(7, languageId);
                s.executeUpdate();
                return Written.WRITTEN;
            }
        }
    }

    /** Fails with one clear line when the film table lacks the uuid column db-sync relates rows by. */
    void checkUuidColumn() {
        try (Connection c = pool.getConnection(); ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), null, "film", "uuid")) {
            if (!rs.next()) {
                throw new JunctionException("the legacy film table has no uuid column; add it once with: "
                        + String.join("; ", addUuidColumn()));
            }
        } catch (SQLException e) {
            throw new JunctionException("db-sync cannot read the legacy database: "
                    + e.getMessage().lines().findFirst().orElse("") + "; check db-sync.legacy.host, port, database, user and password", e);
        }
    }

    /** Why the database cannot be used now, or null when it answers. */
    public String problem() {
        return Pool.problem(pool);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static boolean exists(Connection c, String uuid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM film WHERE uuid = ?")) {
            s.setString(1, uuid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void bind(PreparedStatement s, FilmFields f) throws SQLException {
        s.setString(1, f.title());
        CatalogueStore.setNullable(s, 2, f.description(), Types.VARCHAR);
        CatalogueStore.setNullable(s, 3, f.year(), Types.INTEGER);
        CatalogueStore.setNullable(s, 4, f.rating(), Types.VARCHAR);
        CatalogueStore.setNullable(s, 5, f.length(), Types.INTEGER);
    }
}
