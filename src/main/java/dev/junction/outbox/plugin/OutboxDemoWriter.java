package dev.junction.outbox.plugin;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays an application for the demo: ten times a second it writes a transaction of outbox events (spread over
 * 100 order aggregates) into one database, at a steady total rate.
 */
final class OutboxDemoWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDemoWriter.class);
    private static final int TICKS_PER_SECOND = 10;

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final int rowsPerTick;
    private final ScheduledExecutorService timer;
    private long written;

    private OutboxDemoWriter(String name, String url, String user, String password, String table, int rowsPerSecond) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.rowsPerTick = Math.max(1, rowsPerSecond / TICKS_PER_SECOND);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-outbox-writer-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static OutboxDemoWriter start(String name, String url, String user, String password, String table, int rowsPerSecond) {
        OutboxDemoWriter writer = new OutboxDemoWriter(name, url, user, password, table, rowsPerSecond);
        writer.timer.scheduleAtFixedRate(writer::writeTick, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeTick() {
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                     + " (aggregate_type, aggregate_id, event_type, payload, headers) VALUES ('order', ?, 'OrderChanged', ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < rowsPerTick; i++) {
                long n = written + i;
                s.setString(1, "order-" + (n % 100));
                s.setBytes(2, ("{\"order\":\"order-" + (n % 100) + "\",\"seq\":" + n + ",\"amount\":" + (n % 997)
                        + ",\"note\":\"demo event written by the outbox demo writer\"}").getBytes(StandardCharsets.UTF_8));
                s.setString(3, "{\"source\":\"demo\"}");
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
            written += rowsPerTick;
        } catch (Exception e) {
            LOG.warn("Demo outbox writer could not write to {}: {}", url, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
