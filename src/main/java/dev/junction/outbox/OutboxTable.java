package dev.junction.outbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The SQL the relay and the maintenance jobs run against one outbox table. */
final class OutboxTable {

    private static final String COLUMNS =
            "id, event_id, aggregate_type, aggregate_id, event_type, payload, headers, topic, attempts";
    private static final int IN_LIST_CHUNK = 1000;

    private final OutboxDialect dialect;
    private final String name;
    private final String quoted;

    OutboxTable(OutboxDialect dialect, String name) {
        this.dialect = dialect;
        this.name = name;
        this.quoted = dialect.quote(name);
    }

    String name() {
        return name;
    }

    OutboxDialect dialect() {
        return dialect;
    }

    boolean exists(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String candidate : List.of(name, name.toLowerCase(), name.toUpperCase())) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, candidate, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns up to {@code limit} unpublished rows in id order, locked, leaving out aggregates that have a failed
     * (dead-lettered, not yet re-queued) row and those in {@code waiting} (backing off after an error).
     * <p>
     * Two steps, and neither skips a row. First a plain read (no locks) of the committed unpublished rows: an
     * uncommitted row is not in it, and since an application commits one aggregate's events in id order, what it
     * returns of each aggregate is a prefix of that aggregate's unpublished rows. {@code FOR UPDATE SKIP LOCKED}
     * would leave out committed rows that another statement happens to hold (on MySQL/MariaDB a cleanup DELETE's
     * scan, a dying relay's claim) and send their aggregate's later rows first. Then those rows are locked by id,
     * waiting for any transaction that still holds one: an earlier leader that is still rolling back (MariaDB
     * releases its GET_LOCK before that) finishes before anything of those rows is sent.
     */
    List<OutboxRow> claim(Connection c, int limit, Collection<OutboxRow> waiting) throws SQLException {
        List<OutboxRow> candidates = readUnpublished(c, limit, waiting);
        if (candidates.isEmpty()) {
            return candidates;
        }
        Set<Long> locked = lockStillUnpublished(c, candidates);
        if (locked.size() == candidates.size()) {
            return candidates;
        }
        // Rows that an earlier transaction published after all: what is left of each aggregate is still in order.
        return candidates.stream().filter(r -> locked.contains(r.id())).toList();
    }

    private List<OutboxRow> readUnpublished(Connection c, int limit, Collection<OutboxRow> waiting) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + quoted + " o"
                + " WHERE o.published_at IS NULL AND o.failed_at IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM " + quoted + " f WHERE f.failed_at IS NOT NULL AND f.published_at IS NULL"
                + " AND f.aggregate_type = o.aggregate_type AND f.aggregate_id = o.aggregate_id)");
        for (int i = 0; i < waiting.size(); i++) {
            sql.append(" AND NOT (o.aggregate_type = ? AND o.aggregate_id = ?)");
        }
        sql.append(" ORDER BY o.id LIMIT ?");
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (OutboxRow w : waiting) {
                s.setString(p++, w.aggregateType());
                s.setString(p++, w.aggregateId());
            }
            s.setInt(p, limit);
            List<OutboxRow> rows = new ArrayList<>(limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBytes(6), rs.getString(7), rs.getString(8), rs.getInt(9)));
                }
            }
            return rows;
        }
    }

    /**
     * Locks the rows by primary key (waiting for whoever holds one) and returns the ids that are still unpublished.
     * On MySQL/MariaDB the primary key is forced: a scan would lock, and wait for, the application's uncommitted rows.
     */
    private Set<Long> lockStillUnpublished(Connection c, List<OutboxRow> rows) throws SQLException {
        Set<Long> ids = new HashSet<>(rows.size() * 2);
        for (int from = 0; from < rows.size(); from += IN_LIST_CHUNK) {
            List<Long> chunk = rows.subList(from, Math.min(rows.size(), from + IN_LIST_CHUNK)).stream().map(OutboxRow::id).toList();
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + quoted + dialect.primaryKeyHint() + " WHERE id"
                    + dialect.inIds(chunk.size()) + " AND published_at IS NULL AND failed_at IS NULL FOR UPDATE")) {
                dialect.bindIds(s, 1, chunk);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    /**
     * Records that Kafka acknowledged these rows: {@code published_at} set, or with {@code delete} the rows deleted
     * (a deleted row costs the database about half of a new row version with its index entries).
     */
    void markPublished(Connection c, List<Long> ids, boolean delete) throws SQLException {
        String statement = delete ? "DELETE FROM " + quoted : "UPDATE " + quoted + " SET published_at = " + dialect.now();
        for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
            try (PreparedStatement s = c.prepareStatement(statement + " WHERE id" + dialect.inIds(chunk.size()))) {
                dialect.bindIds(s, 1, chunk);
                s.executeUpdate();
            }
        }
    }

    void recordFailure(Connection c, long id, int attempts, String error, boolean failed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + quoted + " SET attempts = ?, last_error = ?"
                + (failed ? ", failed_at = " + dialect.now() : "") + " WHERE id = ?")) {
            s.setInt(1, attempts);
            s.setString(2, error.length() > 4000 ? error.substring(0, 4000) : error);
            s.setLong(3, id);
            s.executeUpdate();
        }
    }

    /** Unpublished rows waiting (failed rows not counted) and the age in seconds of the oldest, in one query. */
    long[] backlogAndOldestAgeSeconds(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), " + dialect.oldestAgeSeconds() + " FROM "
                + quoted + " WHERE published_at IS NULL AND failed_at IS NULL")) {
            rs.next();
            return new long[] {rs.getLong(1), (long) rs.getDouble(2)};
        }
    }

    /**
     * Deletes up to {@code limit} rows published more than {@code retentionSeconds} ago; returns how many. The ids are
     * found by a plain read (no locks), then deleted by primary key: the DELETE locks only rows that are published,
     * which neither the relay nor the application touch again, so it waits for no one and no one waits for it. (A
     * DELETE with the age in its WHERE clause scans and, on MySQL/MariaDB, locks every row it passes, unpublished and
     * uncommitted ones included.)
     */
    int deletePublishedBefore(Connection c, long retentionSeconds, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>(limit);
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + quoted + " WHERE published_at < "
                + dialect.secondsAgo() + " ORDER BY id LIMIT ?")) {
            s.setLong(1, retentionSeconds);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        // One statement per row: a primary-key equality is the one access path every optimizer takes (an IN list
        // over a small table can become a scan, and a scan waits for the application's uncommitted rows).
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + quoted + " WHERE id = ? AND published_at IS NOT NULL")) {
            for (long id : ids) {
                s.setLong(1, id);
                s.addBatch();
            }
            int deleted = 0;
            for (int n : s.executeBatch()) {
                deleted += n == Statement.SUCCESS_NO_INFO ? 1 : n;
            }
            return deleted;
        }
    }

    /** Rows that were dead-lettered and still hold back their aggregate. */
    List<Map<String, Object>> failedRows(Connection c) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, event_id, aggregate_type,"
                + " aggregate_id, event_type, attempts, last_error FROM " + quoted
                + " WHERE failed_at IS NOT NULL AND published_at IS NULL ORDER BY id")) {
            while (rs.next()) {
                rows.add(Map.of("id", rs.getLong(1), "event_id", rs.getString(2), "aggregate_type", rs.getString(3),
                        "aggregate_id", rs.getString(4), "event_type", rs.getString(5), "attempts", rs.getInt(6),
                        "last_error", String.valueOf(rs.getString(7))));
            }
        }
        return rows;
    }

    /** Failed rows back in the queue (attempts reset); {@code ids} empty means every failed row. */
    int requeue(Connection c, List<Long> ids) throws SQLException {
        return updateFailed(c, "failed_at = NULL, attempts = 0, last_error = NULL", ids);
    }

    /** Failed rows given up for good: marked published so their aggregate moves on (they are in the dead-letter topic). */
    int skip(Connection c, List<Long> ids) throws SQLException {
        return updateFailed(c, "published_at = " + dialect.now(), ids);
    }

    private int updateFailed(Connection c, String set, List<Long> ids) throws SQLException {
        String where = "failed_at IS NOT NULL AND published_at IS NULL";
        if (!ids.isEmpty()) {
            where += " AND id" + dialect.inIds(ids.size());
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE " + quoted + " SET " + set + " WHERE " + where)) {
            if (!ids.isEmpty()) {
                dialect.bindIds(s, 1, ids);
            }
            return s.executeUpdate();
        }
    }
}
