package dev.junction.outbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
     * Locks and returns up to {@code limit} unpublished rows in id order, leaving out aggregates that have a
     * failed (dead-lettered, not yet re-queued) row and those in {@code waiting} (backing off after an error).
     */
    List<OutboxRow> claim(Connection c, int limit, Collection<OutboxRow> waiting) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + quoted + " o"
                + " WHERE o.published_at IS NULL AND o.failed_at IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM " + quoted + " f WHERE f.failed_at IS NOT NULL AND f.published_at IS NULL"
                + " AND f.aggregate_type = o.aggregate_type AND f.aggregate_id = o.aggregate_id)");
        for (int i = 0; i < waiting.size(); i++) {
            sql.append(" AND NOT (o.aggregate_type = ? AND o.aggregate_id = ?)");
        }
        sql.append(" ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED");
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

    void markPublished(Connection c, List<Long> ids) throws SQLException {
        for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement s = c.prepareStatement("UPDATE " + quoted + " SET published_at = " + dialect.now()
                    + " WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setLong(i + 1, chunk.get(i));
                }
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

    /** Deletes up to {@code limit} rows published more than {@code retentionSeconds} ago; returns how many. */
    int deletePublishedBefore(Connection c, long retentionSeconds, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.deletePublishedBefore(quoted))) {
            s.setLong(1, retentionSeconds);
            s.setInt(2, limit);
            return s.executeUpdate();
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
            where += " AND id IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")";
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE " + quoted + " SET " + set + " WHERE " + where)) {
            for (int i = 0; i < ids.size(); i++) {
                s.setLong(i + 1, ids.get(i));
            }
            return s.executeUpdate();
        }
    }
}
