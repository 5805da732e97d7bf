package dev.junction.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** PostgreSQL: advisory lock, gen_random_uuid() event ids, a NOTIFY trigger for low-latency wake-ups. */
final class PostgresOutboxDialect implements OutboxDialect {

    /**
     * Plans made for the outbox as it is now, at every execution. The driver prepares a statement run five times, and
     * PostgreSQL then keeps one generic plan: made while the table was empty (a relay that starts before the first
     * write), it scanned the whole table for every candidate row, and a claim of 1,000 rows took 0.9-2.8 s with
     * 5,000-20,000 rows in the table (3-13 ms with plans made at each execution).
     */
    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public List<String> createTable(String table) {
        String t = quote(table);
        String channel = notifyChannel(table);
        String function = quote(table + "_notify");
        return List.of(
                "CREATE TABLE " + t + " ("
                        + " id bigserial PRIMARY KEY,"
                        + " event_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,"
                        + " aggregate_type varchar(255) NOT NULL,"
                        + " aggregate_id varchar(255) NOT NULL,"
                        + " event_type varchar(255) NOT NULL,"
                        + " payload bytea,"
                        + " headers text,"
                        + " topic varchar(249),"
                        + " created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                        + " published_at timestamptz,"
                        + " attempts integer NOT NULL DEFAULT 0,"
                        + " last_error text,"
                        + " failed_at timestamptz)",
                "CREATE INDEX " + quote(table + "_pending") + " ON " + t + " (id) WHERE published_at IS NULL AND failed_at IS NULL",
                "CREATE INDEX " + quote(table + "_failed") + " ON " + t + " (aggregate_type, aggregate_id) WHERE failed_at IS NOT NULL",
                "CREATE INDEX " + quote(table + "_published_at") + " ON " + t + " (published_at) WHERE published_at IS NOT NULL",
                "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN PERFORM pg_notify('" + channel + "', ''); RETURN NULL; END $$",
                "CREATE TRIGGER " + quote(table + "_notify") + " AFTER INSERT ON " + t
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()");
    }

    @Override
    public boolean tryLeaderLock(Connection connection, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public String now() {
        return "clock_timestamp()";
    }

    @Override
    public String oldestAgeSeconds() {
        return "COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - MIN(created_at))), 0)";
    }

    /** One array parameter: a statement of 1,000 parameters costs PostgreSQL more to parse and plan than its work. */
    @Override
    public String inIds(int n) {
        return " = ANY (?)";
    }

    @Override
    public int bindIds(PreparedStatement s, int first, List<Long> ids) throws SQLException {
        s.setArray(first, s.getConnection().createArrayOf("bigint", ids.toArray()));
        return first + 1;
    }

    @Override
    public String secondsAgo() {
        return "clock_timestamp() - make_interval(secs => ?)";
    }

    @Override
    public List<String> maintenanceSessionSettings() {
        return List.of("SET lock_timeout = '" + LOCK_WAIT_SECONDS + "s'", CUSTOM_PLANS);
    }

    @Override
    public boolean isLockConflict(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()); // lock_not_available, deadlock_detected
    }

    @Override
    public String optimize(String table) {
        return "VACUUM (ANALYZE) " + quote(table);
    }

    @Override
    public String notifyChannel(String table) {
        return "junction_outbox_" + table.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase();
    }

    @Override
    public List<String> relaySessionSettings() {
        return List.of("SET synchronous_commit = off", CUSTOM_PLANS);
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
