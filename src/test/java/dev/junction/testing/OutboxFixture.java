package dev.junction.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.junction.infra.EmbeddedDatabase;
import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxMaintenance;

/**
 * An outbox table of a test's own, in a new database on a shared embedded server, with helpers to write events
 * as an application would and to read the table back.
 */
public final class OutboxFixture {

    public final EmbeddedDatabase server;
    public final String url;
    public final String table = "outbox";
    /** Topic prefix of this fixture: records go to {@code prefix.<aggregate_type>}. */
    public final String topicPrefix;

    private OutboxFixture(EmbeddedDatabase server) {
        this.server = server;
        this.url = TestDatabases.newDatabase(server, "outbox");
        this.topicPrefix = TestKafka.uniqueName("outbox");
    }

    public static OutboxFixture on(String database) throws SQLException {
        OutboxFixture f = new OutboxFixture("postgresql".equals(database) ? TestDatabases.postgres() : TestDatabases.mariaDb());
        new OutboxMaintenance(f.configuration()).initSchema();
        return f;
    }

    public OutboxConfiguration configuration() {
        return OutboxConfiguration.of(url, server.user(), server.password(), table);
    }

    public String topic(String aggregateType) {
        return topicPrefix + "." + aggregateType;
    }

    /** Properties that point the shipped outbox routes at this table and this test's topics. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("db.url", url);
        p.put("db.user", server.user());
        p.put("db.password", server.password());
        p.put("db.outbox.table", table);
        p.put("outbox.topic-pattern", topicPrefix + ".${aggregate_type}");
        p.put("outbox.dead-letter-topic", topicPrefix + ".dlq");
        p.put("outbox.retry-backoff-ms", "50");
        p.put("outbox.retry-backoff-max-ms", "500");
        p.put("outbox.cleanup.enabled", "false");
        return p;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, server.user(), server.password());
    }

    /**
     * Inserts {@code count} events spread over {@code aggregates} aggregates of two types (order, customer), each
     * payload {@code {"aggregate":"A","seq":N}} with N counting up per aggregate from {@code firstSeq}.
     */
    public void insertEvents(int count, int aggregates, int firstSeq) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                + " (aggregate_type, aggregate_id, event_type, payload, headers) VALUES (?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                int aggregate = i % aggregates;
                int seq = firstSeq + i / aggregates;
                s.setString(1, aggregate % 2 == 0 ? "order" : "customer");
                s.setString(2, "agg-" + aggregate);
                s.setString(3, "Changed");
                s.setBytes(4, ("{\"aggregate\":\"agg-" + aggregate + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
                s.setString(5, "{\"tenant\":\"t" + aggregate % 3 + "\",\"seq\":" + seq + "}");
                s.addBatch();
                if (i % 500 == 499) {
                    s.executeBatch();
                    c.commit();
                }
            }
            s.executeBatch();
            c.commit();
        }
    }

    public long insertOne(String aggregateType, String aggregateId, String topic, String headers, byte[] payload) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                + " (aggregate_type, aggregate_id, event_type, payload, headers, topic) VALUES (?, ?, 'Changed', ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, aggregateType);
            s.setString(2, aggregateId);
            s.setBytes(3, payload);
            s.setString(4, headers);
            s.setString(5, topic);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public long count(String where) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
