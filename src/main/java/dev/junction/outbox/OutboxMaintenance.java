package dev.junction.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One-off jobs on an outbox table: create it, clean up published rows, optimize, list / re-queue / skip failed rows. */
public final class OutboxMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMaintenance.class);

    private static final int LOCK_CONFLICT_ATTEMPTS = 5;

    private final OutboxConfiguration config;
    private final OutboxDatabase database;

    public OutboxMaintenance(OutboxConfiguration config) {
        this.config = config;
        this.database = new OutboxDatabase(config);
    }

    /** Creates the table (with its indexes) when it does not exist; returns false when it was already there. */
    public boolean initSchema() throws SQLException {
        OutboxTable table = database.table();
        try (Connection c = database.connect()) {
            if (table.exists(c)) {
                return false;
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String ddl : table.dialect().createTable(table.name())) {
                    s.execute(ddl);
                }
            }
            c.commit();
            LOG.info("Created outbox table {} at {}", table.name(), database.url());
            return true;
        }
    }

    /**
     * Deletes rows published more than the retention ago, in small batches (each its own short transaction, so
     * no lock is held for long). Failed and unpublished rows are never deleted. A batch that meets a lock (a lock
     * wait timeout or a deadlock) is tried again after a pause; after {@value #LOCK_CONFLICT_ATTEMPTS} such attempts
     * this run stops with a warning and the next run goes on. Returns the number deleted.
     */
    public long cleanup() throws SQLException, InterruptedException {
        database.verify();
        long retentionSeconds = Math.max(0, config.getRetentionMs() / 1000);
        OutboxTable table = database.table();
        long total = 0;
        try (Connection c = database.connect(table.dialect().maintenanceSessionSettings())) {
            c.setAutoCommit(false);
            int conflicts = 0;
            while (true) {
                int deleted;
                try {
                    deleted = table.deletePublishedBefore(c, retentionSeconds, config.getCleanupBatchSize());
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    if (!table.dialect().isLockConflict(e)) {
                        throw e;
                    }
                    if (++conflicts >= LOCK_CONFLICT_ATTEMPTS) {
                        LOG.warn("Outbox cleanup on {} stopped after {} lock conflicts in a row ({}); the next run goes on",
                                table.name(), conflicts, OutboxDatabase.firstLine(e.getMessage()));
                        break;
                    }
                    LOG.info("Outbox cleanup on {} met a lock ({}), trying again", table.name(),
                            OutboxDatabase.firstLine(e.getMessage()));
                    Thread.sleep(200L * conflicts);
                    continue;
                }
                conflicts = 0;
                total += deleted;
                if (deleted < config.getCleanupBatchSize()) {
                    break;
                }
            }
        }
        LOG.info("Outbox cleanup on {} deleted {} row(s) published more than {} s ago", table.name(),
                total, retentionSeconds);
        return total;
    }

    /** VACUUM (ANALYZE) on PostgreSQL, OPTIMIZE TABLE on MySQL/MariaDB; returns the statement run. */
    public String optimize() throws SQLException {
        database.verify();
        String sql = database.table().dialect().optimize(database.table().name());
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(sql);
        }
        LOG.info("Outbox optimize ran: {}", sql);
        return sql;
    }

    public List<Map<String, Object>> failed() throws SQLException {
        database.verify();
        try (Connection c = database.connect()) {
            return database.table().failedRows(c);
        }
    }

    /** Puts failed rows back in the queue ({@code ids} empty: all of them). Returns how many. */
    public int requeue(List<Long> ids) throws SQLException {
        database.verify();
        try (Connection c = database.connect()) {
            c.setAutoCommit(true);
            return database.table().requeue(c, ids);
        }
    }

    /** Gives failed rows up (they stay in the dead-letter topic) so their aggregates move on. Returns how many. */
    public int skip(List<Long> ids) throws SQLException {
        database.verify();
        try (Connection c = database.connect()) {
            c.setAutoCommit(true);
            return database.table().skip(c, ids);
        }
    }

    /** Backlog and oldest age, for metrics. */
    long[] backlog() throws SQLException {
        try (Connection c = database.connect()) {
            return database.table().backlogAndOldestAgeSeconds(c);
        }
    }
}
