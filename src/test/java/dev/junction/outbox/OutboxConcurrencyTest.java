package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ApplicationWriters;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application as docs/outbox-schema.md describes it (aggregate row locked, outbox row inserted, commit after a
 * while, some rollbacks), many transactions at once, with the relay, cleanup and a dying leader beside it: every
 * committed event reaches Kafka, in seq order per aggregate.
 */
class OutboxConcurrencyTest {

    private static final int WRITERS = 16;
    private static final int AGGREGATES = 40;
    private static final int EVENTS = 1500;

    private static JunctionRuntime startRelay(OutboxFixture outbox) {
        Map<String, String> props = new HashMap<>(outbox.properties());
        props.put("outbox.batch-size", "200");
        return TestJunction.start(List.of(TestJunction.repoRoute("outbox-relay.camel.yaml")), props);
    }

    /** Events committed by the application: the sum of the aggregates' sequence counters. */
    private static long committedEvents(OutboxFixture outbox) throws SQLException {
        try (Connection c = outbox.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(seq) FROM aggregates")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every event the application committed is in Kafka once, in seq order per aggregate. */
    private static void assertKafkaHasEveryEventOnceInOrder(OutboxFixture outbox) throws SQLException {
        long events = committedEvents(outbox);
        List<ConsumerRecord<String, String>> records = TestKafka.consumeUntil(outbox.topic(ApplicationWriters.AGGREGATE_TYPE),
                r -> OutboxAssertions.eventIds(r).size() >= events, Duration.ofSeconds(60));
        assertThat(OutboxAssertions.eventIds(records)).hasSize((int) events);
        OutboxAssertions.assertOrderedPerKey(records, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void concurrentApplicationTransactionsReachKafkaInOrderPerAggregate(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        try (JunctionRuntime relay = startRelay(outbox);
             ApplicationWriters app = new ApplicationWriters(outbox, WRITERS, AGGREGATES)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> app.committed() >= EVENTS);
            app.stop();
            assertThat(outbox.count("1 = 1")).as("outbox rows").isEqualTo(committedEvents(outbox));
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
            assertKafkaHasEveryEventOnceInOrder(outbox);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void cleanupBesideTheRelayAndTheApplicationFailsNothingAndReordersNothing(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        OutboxConfiguration cleanupConfig = outbox.configuration();
        cleanupConfig.setRetentionMs(0);
        cleanupConfig.setCleanupBatchSize(50);
        OutboxMaintenance maintenance = new OutboxMaintenance(cleanupConfig);
        AtomicBoolean cleaning = new AtomicBoolean(true);
        AtomicLong deleted = new AtomicLong();
        List<Throwable> cleanupErrors = new ArrayList<>();
        // Published rows are deleted as fast as cleanup can, all the time, while the application writes.
        CompletableFuture<Void> cleanup = CompletableFuture.runAsync(() -> {
            while (cleaning.get()) {
                try {
                    deleted.addAndGet(maintenance.cleanup());
                } catch (Exception e) {
                    cleanupErrors.add(e);
                }
            }
        });
        try (JunctionRuntime relay = startRelay(outbox);
             ApplicationWriters app = new ApplicationWriters(outbox, WRITERS, AGGREGATES)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> app.committed() >= EVENTS);
            app.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
            cleaning.set(false);
            cleanup.get();
            assertThat(cleanupErrors).isEmpty();
            assertThat(deleted.get()).isPositive();
            assertKafkaHasEveryEventOnceInOrder(outbox);
        } finally {
            cleaning.set(false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void cleanupFinishesWhileAnApplicationTransactionStaysOpen(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(300, 10, 0);
        outbox.execute("UPDATE outbox SET published_at = created_at");
        outbox.insertEvents(10, 10, 30);
        OutboxConfiguration cleanupConfig = outbox.configuration();
        cleanupConfig.setRetentionMs(0);
        cleanupConfig.setCleanupBatchSize(50);
        try (Connection app = outbox.connect()) {
            // An application transaction that inserted an event and has not committed yet.
            app.setAutoCommit(false);
            try (Statement s = app.createStatement()) {
                s.executeUpdate("INSERT INTO outbox (aggregate_type, aggregate_id, event_type, payload)"
                        + " VALUES ('order', 'open', 'Changed', NULL)");
            }
            CompletableFuture<Long> cleanup = CompletableFuture.supplyAsync(() -> {
                try {
                    return new OutboxMaintenance(cleanupConfig).cleanup();
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(cleanup::isDone);
            assertThat(cleanup.get()).isEqualTo(300);
            app.commit();
        }
        assertThat(outbox.count("published_at IS NULL")).isEqualTo(11);
    }

    /**
     * An earlier leader whose session lock is gone while its transaction still holds the first rows of one aggregate
     * (MariaDB releases GET_LOCK before it has rolled back a killed session): the new leader publishes nothing of
     * that aggregate until that transaction is over, then everything in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aNewLeaderPublishesNothingThatAnEarlierLeadersTransactionStillHolds(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(400, 8, 0); // agg-0 .. agg-7, seq 0..49 each
        long firstId = outbox.count("1 = 1") - 400 + 1; // ids start at 1 in a new table
        try (Connection earlier = outbox.connect()) {
            earlier.setAutoCommit(false);
            try (Statement s = earlier.createStatement()) {
                // What a leader's claim and marks leave behind: the rows locked, marked published, not committed.
                assertThat(s.executeUpdate("UPDATE outbox SET published_at = created_at WHERE aggregate_id = 'agg-0'"
                        + " AND id < " + (firstId + 40))).isEqualTo(5);
            }
            try (JunctionRuntime relay = startRelay(outbox)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> relayWaitsForALock(outbox) || outbox.count("published_at IS NULL") < 350);
                List<ConsumerRecord<String, String>> early = TestKafka.readAll(TestKafka.bootstrap(), outbox.topic("order"));
                assertThat(early).as("records of agg-0 published while the earlier transaction holds its rows")
                        .noneMatch(r -> "agg-0".equals(r.key()));
                earlier.rollback(); // the earlier leader's session is finally gone
                await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("published_at IS NULL") == 0);
            }
        }
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        records.addAll(TestKafka.consumeUntil(outbox.topic("order"), r -> OutboxAssertions.eventIds(r).size() >= 200, Duration.ofSeconds(60)));
        records.addAll(TestKafka.consumeUntil(outbox.topic("customer"), r -> OutboxAssertions.eventIds(r).size() >= 200, Duration.ofSeconds(60)));
        assertThat(OutboxAssertions.eventIds(records)).hasSize(400);
        OutboxAssertions.assertOrderedPerKey(records, false);
    }

    /** Whether some session of this database waits for a row lock (the relay, behind the earlier transaction). */
    private static boolean relayWaitsForALock(OutboxFixture outbox) throws SQLException {
        String sql = outbox.url.startsWith("jdbc:postgresql:")
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                : "SELECT COUNT(*) FROM information_schema.INNODB_LOCK_WAITS";
        try (Connection c = outbox.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
