package dev.junction.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.junction.support.Backoff;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay loop of one outbox table: take the leader lock, claim a batch, publish it, mark what Kafka
 * acknowledged, commit; repeat at once while there is work, else wait for a NOTIFY or the poll interval.
 * <p>
 * Lock, claim and marks share one database session: if this process dies or loses its connection, the claim is
 * rolled back and the lock released, and another instance takes over from the first unpublished row. (MariaDB can
 * release the lock before the rollback is done; the claim waits for the rows' locks, see {@link OutboxTable#claim}.)
 */
final class OutboxRelay implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** First idle wait after rows were found: while events keep coming, look again soon. */
    private static final long ACTIVE_POLL_MS = 5;

    private final OutboxConfiguration config;
    private final OutboxDatabase database;
    private final OutboxPublisher publisher;
    private final OutboxMetrics metrics;
    private final Consumer<OutboxPublisher.Outcome> onBatch;
    /** The wait after consecutive relay errors and before a failed row is tried again. */
    private final Backoff backoff;
    /** Aggregates backing off after a failed attempt: aggregate key → (row, earliest next attempt). */
    private final Map<String, Waiting> waiting = new HashMap<>();
    private volatile boolean running = true;
    private Connection connection;
    private boolean leader;
    private int consecutiveErrors;
    /** Adaptive polling: 5 ms after a batch, doubling on each empty poll up to the poll interval. */
    private long idleWaitMs;

    private record Waiting(OutboxRow row, long untilNanos) {
    }

    OutboxRelay(OutboxConfiguration config, OutboxDatabase database, OutboxPublisher publisher,
            OutboxMetrics metrics, Consumer<OutboxPublisher.Outcome> onBatch) {
        this.config = config;
        this.database = database;
        this.publisher = publisher;
        this.metrics = metrics;
        this.onBatch = onBatch;
        this.backoff = new Backoff(config.getRetryBackoffMs(), config.getRetryBackoffMaxMs(),
                "the outbox's retryBackoffMs / retryBackoffMaxMs (outbox.retry-backoff-ms / -max-ms)");
    }

    boolean isLeader() {
        return leader;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (!ensureLeader()) {
                    sleep(Math.max(500, config.getPollIntervalMs()));
                    continue;
                }
                boolean more = relayOneBatch();
                consecutiveErrors = 0;
                if (!more) {
                    awaitWork();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                consecutiveErrors++;
                metrics.error();
                LOG.warn("Outbox relay on {} failed ({} in a row), reconnecting: {}", database.table().name(),
                        consecutiveErrors, OutboxDatabase.firstLine(e.getMessage()));
                closeConnection();
                try {
                    sleep(backoff.delayMs(consecutiveErrors));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        closeConnection();
        LOG.info("Outbox relay on {} stopped", database.table().name());
    }

    private boolean ensureLeader() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            closeConnection();
            connection = database.connect(database.table().dialect().relaySessionSettings());
            connection.setAutoCommit(false);
            String channel = database.table().dialect().notifyChannel(database.table().name());
            if (config.isListenNotify() && channel != null) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
            }
            connection.commit();
        }
        if (!leader) {
            leader = database.table().dialect().tryLeaderLock(connection, config.effectiveLockName());
            connection.commit();
            if (leader) {
                LOG.info("Outbox relay on {} is the leader (lock {})", database.table().name(), config.effectiveLockName());
            }
        }
        return leader;
    }

    /** Claims, publishes and marks one batch in one transaction. True when the batch was full (more may wait). */
    private boolean relayOneBatch() throws SQLException, InterruptedException {
        OutboxTable table = database.table();
        List<OutboxRow> rows;
        try {
            rows = table.claim(connection, config.getBatchSize(), waitingRows());
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        if (rows.isEmpty()) {
            connection.commit();
            return false;
        }
        idleWaitMs = ACTIVE_POLL_MS;
        OutboxPublisher.Outcome outcome = publisher.publish(rows);
        table.markPublished(connection, outcome.publishedIds(), config.isDeletePublished());
        for (OutboxPublisher.Failure failure : outcome.failures()) {
            handleFailure(table, failure);
        }
        connection.commit();
        metrics.published(outcome.publishedIds().size());
        Map<String, String> blockedBefore = metrics.blockedTopics();
        outcome.refusedTopics().forEach((topic, reason) -> {
            if (!blockedBefore.containsKey(topic)) {
                LOG.warn("Outbox relay on {} holds back the aggregates with rows for topic {} (the others go on): {}",
                        table.name(), topic, reason);
            }
        });
        metrics.topics(outcome.refusedTopics(), outcome.topicsWritten());
        if (!outcome.publishedIds().isEmpty()) {
            onBatch.accept(outcome);
        }
        // Nothing went through at all (Kafka down?): do not spin on the same rows.
        if (outcome.publishedIds().isEmpty() && !outcome.failures().isEmpty()) {
            sleep(backoff.delayMs(rows.get(0).attempts() + 1));
        }
        return rows.size() == config.getBatchSize();
    }

    private void handleFailure(OutboxTable table, OutboxPublisher.Failure failure) throws SQLException, InterruptedException {
        OutboxRow row = failure.row();
        int attempts = row.attempts() + 1;
        metrics.failure();
        if (failure.poison() && attempts >= config.getMaxAttempts()) {
            try {
                publisher.deadLetter(row, failure.error());
                table.recordFailure(connection, row.id(), attempts, failure.error(), true);
                waiting.remove(row.aggregateKey());
                metrics.deadLettered();
                LOG.warn("Outbox row {} (aggregate {} {}) dead-lettered to {} after {} attempts: {}", row.id(),
                        row.aggregateType(), row.aggregateId(), config.getDeadLetterTopic(), attempts, failure.error());
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("Outbox row {} could not be dead-lettered yet: {}", row.id(), e.getCause().getMessage());
            }
        }
        table.recordFailure(connection, row.id(), attempts, failure.error(), false);
        waiting.put(row.aggregateKey(), new Waiting(row, System.nanoTime() + backoff.delayMs(attempts) * 1_000_000));
    }

    /** Aggregates still backing off; the others are dropped from the map and tried again. */
    private List<OutboxRow> waitingRows() {
        long now = System.nanoTime();
        waiting.values().removeIf(w -> w.untilNanos() <= now);
        List<OutboxRow> rows = new ArrayList<>();
        waiting.values().forEach(w -> rows.add(w.row()));
        return rows;
    }

    /**
     * Waits until a NOTIFY says rows arrived (PostgreSQL) or the current idle wait passes. The idle wait starts at
     * 5 ms after a batch and doubles on each empty poll up to the poll interval: low latency while events flow
     * (MySQL/MariaDB have no NOTIFY), few queries once they stop.
     */
    private void awaitWork() throws SQLException, InterruptedException {
        long waitMs = Math.min(config.getPollIntervalMs(), Math.max(ACTIVE_POLL_MS, idleWaitMs));
        idleWaitMs = Math.min(config.getPollIntervalMs(), Math.max(ACTIVE_POLL_MS, idleWaitMs) * 2);
        if (!waiting.isEmpty()) {
            waitMs = Math.min(waitMs, config.getRetryBackoffMs());
        }
        if (config.isListenNotify() && connection.isWrapperFor(PGConnection.class)) {
            connection.unwrap(PGConnection.class).getNotifications((int) Math.max(1, waitMs));
        } else {
            sleep(waitMs);
        }
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    private void closeConnection() {
        leader = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
