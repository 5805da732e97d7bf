package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.testing.Http;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1,000 changes at once on both sides, many to the same items (updates, deletes, inserts): both databases end
 * identical, and the events stay bounded by the changes made (no loop).
 */
class DbSyncConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ITEMS = 40;
    private static final int CHANGES_PER_SIDE = 500;
    private static DbSyncFixture sync;

    @BeforeAll
    static void start() throws Exception {
        sync = new DbSyncFixture().start();
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    @Test
    void bothSidesChangingTheSameItemsConverge() throws Exception {
        List<String> uuids = new CopyOnWriteArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            Http.Response r = Http.send("POST", sync.api("/catalogue"), "{\"title\": \"ITEM " + i + "\", \"year\": 2000}",
                    "Content-Type", "application/json");
            assertThat(r.status()).isEqualTo(201);
            uuids.add(JSON.readTree(r.body()).get("uuid").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sync.legacyContent().size() == ITEMS);

        AtomicInteger apiWrites = new AtomicInteger(ITEMS);
        AtomicInteger legacyWrites = new AtomicInteger();
        CompletableFuture<Void> api = CompletableFuture.runAsync(() -> apiSide(uuids, apiWrites));
        CompletableFuture<Void> legacy = CompletableFuture.runAsync(() -> legacySide(uuids, legacyWrites));
        CompletableFuture.allOf(api, legacy).get();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(3))
                .until(() -> sync.catalogueContent().equals(sync.legacyContent()));
        assertThat(sync.catalogueContent()).hasSizeGreaterThan(ITEMS / 4);

        // Each API write makes one catalogue event at most; each legacy row written one legacy event at most, and each
        // catalogue event applied one echo at most. Nothing more came, and nothing keeps coming.
        long catalogueEvents = TestKafka.readAll(TestKafka.bootstrap(), sync.catalogueTopic).size();
        long legacyEvents = TestKafka.readAll(TestKafka.bootstrap(), sync.legacyTopic).size();
        assertThat(catalogueEvents).isLessThanOrEqualTo(apiWrites.get());
        assertThat(legacyEvents).isLessThanOrEqualTo(legacyWrites.get() + catalogueEvents);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                TestKafka.readAll(TestKafka.bootstrap(), sync.legacyTopic).size() == legacyEvents
                        && TestKafka.readAll(TestKafka.bootstrap(), sync.catalogueTopic).size() == catalogueEvents);
        System.out.printf("DbSyncConcurrencyTest: %d API writes, %d legacy writes -> %d catalogue events, %d legacy events%n",
                apiWrites.get(), legacyWrites.get(), catalogueEvents, legacyEvents);
    }

    private static void apiSide(List<String> uuids, AtomicInteger writes) {
        Random random = new Random(1);
        for (int i = 0; i < CHANGES_PER_SIDE; i++) {
            String uuid = uuids.get(random.nextInt(uuids.size()));
            int kind = random.nextInt(10);
            Http.Response r;
            if (kind < 7) {
                r = Http.send("PUT", sync.api("/catalogue/" + uuid), "{\"title\": \"API " + i + "\", \"year\": "
                        + (1950 + random.nextInt(70)) + ", \"rating\": \"PG\"}", "Content-Type", "application/json");
            } else if (kind < 9) {
                r = Http.send("POST", sync.api("/catalogue"), "{\"title\": \"API NEW " + i + "\"}", "Content-Type", "application/json");
                if (r.status() == 201) {
                    uuids.add(r.location().substring(r.location().lastIndexOf('/') + 1));
                }
            } else {
                r = Http.send("DELETE", sync.api("/catalogue/" + uuid), null);
            }
            if (r.status() / 100 == 2) {
                writes.incrementAndGet();
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(404);
            }
        }
    }

    /** Counts the rows each statement matched: one legacy event at most each. */
    private static void legacySide(List<String> uuids, AtomicInteger writes) {
        Random random = new Random(2);
        try {
            for (int i = 0; i < CHANGES_PER_SIDE; i++) {
                String uuid = uuids.get(random.nextInt(uuids.size()));
                int kind = random.nextInt(10);
                int rows;
                if (kind < 6) {
                    rows = sync.legacySql("UPDATE film SET title = ?, release_year = ? WHERE uuid = ?", "LEGACY " + i,
                            1950 + random.nextInt(70), uuid);
                } else if (kind < 7) {
                    // Two films in one transaction.
                    String other = uuids.get(random.nextInt(uuids.size()));
                    rows = sync.legacySql("UPDATE film SET length = ? WHERE uuid IN (?, ?)", 60 + random.nextInt(100), uuid, other);
                } else if (kind < 9) {
                    rows = sync.legacySql("INSERT INTO film (title, release_year, language_id) VALUES (?, 1999, 1)", "LEGACY NEW " + i);
                } else {
                    rows = sync.legacySql("DELETE FROM film WHERE uuid = ?", uuid);
                }
                writes.addAndGet(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
