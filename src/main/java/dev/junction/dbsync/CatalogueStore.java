package dev.junction.dbsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The microservice's catalogue table, and its outbox. An API write changes the row and inserts the outbox row of
 * the change in one transaction; a legacy change is applied here without an outbox row, so it never travels back.
 * <p>
 * Columns beside the item's: {@code version} (the ETag, up by one at every change of the row), {@code api_version}
 * (the version of the newest API change) and {@code synced_version} (the newest API change the legacy database is
 * known to hold: its echo came back, or applying it changed nothing). An API change is pending while
 * {@code api_version > synced_version}. Deletes keep the row with {@code deleted = true}, so that the order of
 * changes to a deleted item stays known.
 */
public final class CatalogueStore implements AutoCloseable {

    static final String COLUMNS = "uuid, title, description, release_year, rating, length, version, api_version,"
            + " synced_version, deleted, updated_at";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HikariDataSource pool;
    private final String outboxTable;
    private final String topic;

    public CatalogueStore(String url, String user, String password, String outboxTable, String topic) {
        this.pool = Pool.open("catalogue", url, user, password, 8);
        this.outboxTable = outboxTable;
        this.topic = topic;
    }

    /** The catalogue table (the outbox table is the outbox flow's: {@code OutboxMaintenance.initSchema}). */
    public static List<String> createTable() {
        return List.of("CREATE TABLE IF NOT EXISTS catalogue ("
                + " uuid varchar(36) PRIMARY KEY,"
                + " title varchar(" + FilmRules.MAX_TITLE + ") NOT NULL CHECK (title <> ''),"
                + " description text,"
                + " release_year integer CHECK (release_year BETWEEN " + FilmRules.MIN_YEAR + " AND " + FilmRules.MAX_YEAR + "),"
                + " rating varchar(5) CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')),"
                + " length integer CHECK (length BETWEEN 1 AND 65535),"
                + " version bigint NOT NULL,"
                + " api_version bigint NOT NULL DEFAULT 0,"
                + " synced_version bigint NOT NULL DEFAULT 0,"
                + " deleted boolean NOT NULL DEFAULT false,"
                + " updated_at timestamp NOT NULL)",
                "CREATE INDEX IF NOT EXISTS catalogue_title ON catalogue (title)");
    }

    public void initSchema() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String sql : createTable()) {
                s.execute(sql);
            }
        }
    }

    public CatalogueItem create(FilmFields fields) throws SQLException {
        String uuid = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return inTransaction(c -> {
            insertRow(c, uuid, fields, 1, now);
            writeOutbox(c, "created", new CatalogueChange(uuid, fields, false, 1));
            return new CatalogueItem(uuid, fields, 1, now);
        });
    }

    public Optional<CatalogueItem> find(String uuid) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return read(c, uuid, false).filter(r -> !r.deleted).map(Row::item);
        }
    }

    /** Items whose title contains {@code title} (any case; null: all), by title, page 0 first. */
    public List<CatalogueItem> list(String title, int page, int size) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM catalogue WHERE deleted = false");
        if (title != null) {
            sql.append(" AND LOWER(title) LIKE ? ESCAPE '!'");
        }
        sql.append(" ORDER BY title, uuid LIMIT ? OFFSET ?");
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            int p = 1;
            if (title != null) {
                s.setString(p++, "%" + title.toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            }
            s.setInt(p++, size);
            s.setLong(p, (long) page * size);
            List<CatalogueItem> items = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    items.add(Row.of(rs).item());
                }
            }
            return items;
        }
    }

    /** Result of an API update or delete: the item after it, or why not. */
    public record WriteResult(Status status, CatalogueItem item, long currentVersion) {
        public enum Status { DONE, NOT_FOUND, STALE }
    }

    /** Replaces the item's fields; {@code expectedVersion} (If-Match) null means whatever version it has. */
    public WriteResult update(String uuid, FilmFields fields, Long expectedVersion) throws SQLException {
        return inTransaction(c -> writeLive(c, uuid, expectedVersion, row -> {
            if (row.fields.equals(fields)) {
                return new WriteResult(WriteResult.Status.DONE, row.item(), row.version);
            }
            long version = row.version + 1;
            Instant now = Instant.now();
            writeRow(c, uuid, fields, false, version, true, now);
            writeOutbox(c, "updated", new CatalogueChange(uuid, fields, false, version));
            return new WriteResult(WriteResult.Status.DONE, new CatalogueItem(uuid, fields, version, now), version);
        }));
    }

    public WriteResult delete(String uuid, Long expectedVersion) throws SQLException {
        return inTransaction(c -> writeLive(c, uuid, expectedVersion, row -> {
            long version = row.version + 1;
            writeRow(c, uuid, row.fields, true, version, true, Instant.now());
            writeOutbox(c, "deleted", new CatalogueChange(uuid, null, true, version));
            return new WriteResult(WriteResult.Status.DONE, null, version);
        }));
    }

    private interface RowWrite {
        WriteResult write(Row row) throws SQLException;
    }

    /** Locks the live (not deleted) item and runs {@code write} on it, unless it is missing or not at the expected version. */
    private static WriteResult writeLive(Connection c, String uuid, Long expectedVersion, RowWrite write) throws SQLException {
        Optional<Row> found = read(c, uuid, true).filter(r -> !r.deleted);
        if (found.isEmpty()) {
            return new WriteResult(WriteResult.Status.NOT_FOUND, null, 0);
        }
        Row row = found.get();
        if (expectedVersion != null && expectedVersion != row.version) {
            return new WriteResult(WriteResult.Status.STALE, row.item(), row.version);
        }
        return write.write(row);
    }

    /**
     * Applies a change that CDC read from the legacy database. The rule, for one item: the legacy database's order of
     * commits decides, and an API change takes its place in that order when db-sync writes it there. So a legacy
     * change that arrives while an API change is pending lost already (the API change is written after it, and its
     * echo brings the final content); db-sync's own change coming back (its marker) is an echo and only moves
     * {@code synced_version}; any other legacy change is applied.
     */
    public ApplyOutcome applyLegacy(LegacyChange change) throws SQLException {
        if (change.echoOf().isPresent()) {
            // One statement, no row read: half of the catalogue's work when the API writes (every API change echoes).
            markSynced(change.uuid(), change.echoOf().getAsLong());
            return ApplyOutcome.ECHO;
        }
        if (overwriteWhereLegacyWins(change)) {
            return ApplyOutcome.APPLIED;
        }
        return inTransaction(c -> {
            Optional<Row> found = read(c, change.uuid(), true);
            if (found.isEmpty()) {
                if (change.deleted()) {
                    return ApplyOutcome.UNCHANGED;
                }
                insertRow(c, change.uuid(), change.fields(), 0, Instant.now());
                return ApplyOutcome.APPLIED;
            }
            Row row = found.get();
            if (row.apiVersion > row.syncedVersion) {
                return ApplyOutcome.CONFLICT_LOST;
            }
            if (change.deleted() ? row.deleted : !row.deleted && row.fields.equals(change.fields())) {
                return ApplyOutcome.UNCHANGED;
            }
            writeRow(c, change.uuid(), change.deleted() ? row.fields : change.fields(), change.deleted(), row.version + 1,
                    false, Instant.now());
            return ApplyOutcome.APPLIED;
        });
    }

    /**
     * The common case of {@link #applyLegacy} in one statement, one round trip instead of four: the item is here, no
     * API change of it is pending, and the change makes a difference. False when the statement changed nothing (a new
     * item, a pending API change, the same content): the caller then decides under the row lock.
     */
    private boolean overwriteWhereLegacyWins(LegacyChange change) throws SQLException {
        String whereLegacyWins = " WHERE uuid = ? AND api_version <= synced_version";
        try (Connection c = pool.getConnection()) {
            if (change.deleted()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE catalogue SET deleted = true, version = version + 1,"
                        + " updated_at = ?" + whereLegacyWins + " AND deleted = false")) {
                    s.setTimestamp(1, Timestamp.from(Instant.now()));
                    s.setString(2, change.uuid());
                    return s.executeUpdate() == 1;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE catalogue SET title = ?, description = ?, release_year = ?,"
                    + " rating = ?, length = ?, version = version + 1, deleted = false, updated_at = ?" + whereLegacyWins
                    + " AND (deleted OR NOT (title = ? AND " + same("description") + " AND " + same("release_year") + " AND "
                    + same("rating") + " AND " + same("length") + "))")) {
                FilmFields f = change.fields();
                bindFields(s, 1, f);
                s.setTimestamp(6, Timestamp.from(Instant.now()));
                s.setString(7, change.uuid());
                s.setString(8, f.title());
                int p = 9;
                for (Object[] nullable : new Object[][] {{f.description(), Types.VARCHAR}, {f.year(), Types.INTEGER},
                        {f.rating(), Types.VARCHAR}, {f.length(), Types.INTEGER}}) {
                    setNullable(s, p++, nullable[0], (int) nullable[1]);
                    setNullable(s, p++, nullable[0], (int) nullable[1]);
                }
                return s.executeUpdate() == 1;
            }
        }
    }

    /** The column equals the parameter, both null counting as equal (portable IS NOT DISTINCT FROM; two parameters). */
    private static String same(String column) {
        return "(" + column + " = ? OR (" + column + " IS NULL AND ? IS NULL))";
    }

    /** The newest API version of the item (0 when it has none or is unknown). */
    public long apiVersion(String uuid) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return read(c, uuid, false).map(r -> r.apiVersion).orElse(0L);
        }
    }

    /** The legacy database holds API change {@code version} (writing it changed nothing there, so no echo comes). */
    public void markSynced(String uuid, long version) throws SQLException {
        try (Connection c = pool.getConnection()) {
            setSynced(c, uuid, version);
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

    private void setSynced(Connection c, String uuid, long version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE catalogue SET synced_version = ? WHERE uuid = ? AND synced_version < ?")) {
            s.setLong(1, version);
            s.setString(2, uuid);
            s.setLong(3, version);
            s.executeUpdate();
        }
    }

    /** A new item at version 1; {@code apiVersion} 1 when the API made it (its outbox row follows), 0 from legacy. */
    private static void insertRow(Connection c, String uuid, FilmFields fields, long apiVersion, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO catalogue (uuid, title, description, release_year,"
                + " rating, length, version, api_version, synced_version, deleted, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 1, ?, 0, false, ?)")) {
            s.setString(1, uuid);
            bindFields(s, 2, fields);
            s.setLong(7, apiVersion);
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    private void writeRow(Connection c, String uuid, FilmFields f, boolean deleted, long version, boolean fromApi, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE catalogue SET title = ?, description = ?, release_year = ?,"
                + " rating = ?, length = ?, version = ?, deleted = ?, updated_at = ?"
                + (fromApi ? ", api_version = ?" : "") + " WHERE uuid = ?")) {
            bindFields(s, 1, f);
            s.setLong(6, version);
            s.setBoolean(7, deleted);
            s.setTimestamp(8, Timestamp.from(now));
            int p = 9;
            if (fromApi) {
                s.setLong(p++, version);
            }
            s.setString(p, uuid);
            s.executeUpdate();
        }
    }

    private void writeOutbox(Connection c, String eventType, CatalogueChange change) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + outboxTable
                + " (aggregate_type, aggregate_id, event_type, payload, topic) VALUES ('catalogue', ?, ?, ?, ?)")) {
            s.setString(1, change.uuid());
            s.setString(2, eventType);
            try {
                s.setBytes(3, JSON.writeValueAsBytes(change.toJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            s.setString(4, topic);
            s.executeUpdate();
        }
    }

    private static void bindFields(PreparedStatement s, int first, FilmFields f) throws SQLException {
        s.setString(first, f.title());
        setNullable(s, first + 1, f.description(), Types.VARCHAR);
        setNullable(s, first + 2, f.year(), Types.INTEGER);
        setNullable(s, first + 3, f.rating(), Types.VARCHAR);
        setNullable(s, first + 4, f.length(), Types.INTEGER);
    }

    static void setNullable(PreparedStatement s, int index, Object value, int type) throws SQLException {
        if (value == null) {
            s.setNull(index, type);
        } else {
            s.setObject(index, value, type);
        }
    }

    private static Optional<Row> read(Connection c, String uuid, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM catalogue WHERE uuid = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, uuid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(Row.of(rs)) : Optional.empty();
            }
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private record Row(String uuid, FilmFields fields, long version, long apiVersion, long syncedVersion, boolean deleted,
            Instant updatedAt) {

        static Row of(ResultSet rs) throws SQLException {
            FilmFields f = new FilmFields(rs.getString(2), rs.getString(3), rs.getObject(4, Integer.class),
                    rs.getString(5), rs.getObject(6, Integer.class));
            return new Row(rs.getString(1), f, rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getBoolean(10),
                    rs.getTimestamp(11).toInstant());
        }

        CatalogueItem item() {
            return new CatalogueItem(uuid, fields, version, updatedAt);
        }
    }
}
