package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.testing.Http;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** db-sync end to end on real MariaDB (binlog, Debezium), PostgreSQL and Kafka, through the shipped routes. */
class DbSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SYNC = Duration.ofSeconds(60);
    private static DbSyncFixture sync;

    @BeforeAll
    static void start() throws Exception {
        sync = new DbSyncFixture().start();
        // Debezium's snapshot of the (empty) film table is done once a legacy change comes through.
        sync.legacySql("INSERT INTO film (title, language_id) VALUES ('WARM UP', 1)");
        await().atMost(SYNC).until(() -> list("WARM UP").size() == 1);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    @Test
    void theOriginalScenarioBothWaysWithDeletes() throws Exception {
        Http.Response created = Http.send("POST", sync.api("/catalogue"), "{\"title\": \"The Sixth Sense\", \"year\": 1999}",
                "Content-Type", "application/json");
        assertThat(created.status()).isEqualTo(201);
        String uuid = JSON.readTree(created.body()).get("uuid").asText();
        assertThat(created.location()).isEqualTo("/api/v1/catalogue/" + uuid);
        await().atMost(SYNC).until(() -> sync.legacyFilm(uuid).isPresent());
        assertThat(sync.legacyFilm(uuid).get()).containsEntry("title", "The Sixth Sense").containsEntry("year", 1999);

        // A title and year changed in the legacy database with SQL are visible through GET.
        sync.legacySql("UPDATE film SET title = 'The Sixth Sense (legacy)', release_year = 2000 WHERE uuid = ?", uuid);
        await().atMost(SYNC).until(() -> "The Sixth Sense (legacy)".equals(item(uuid).map(i -> i.get("title").asText()).orElse(null)));
        assertThat(item(uuid).get().get("year").asInt()).isEqualTo(2000);

        // PUT through the API updates the legacy row.
        Http.Response put = Http.send("PUT", sync.api("/catalogue/" + uuid), "{\"title\": \"The Sixth Sense\", \"year\": 2021}",
                "Content-Type", "application/json");
        assertThat(put.status()).isEqualTo(200);
        await().atMost(SYNC).until(() -> Integer.valueOf(2021).equals(sync.legacyFilm(uuid).get().get("year")));
        assertThat(sync.legacyFilm(uuid).get()).containsEntry("title", "The Sixth Sense");

        // Delete through the API: gone from the legacy database.
        assertThat(Http.send("DELETE", sync.api("/catalogue/" + uuid), null).status()).isEqualTo(204);
        await().atMost(SYNC).until(() -> sync.legacyFilm(uuid).isEmpty());
        assertThat(Http.get(sync.api("/catalogue/" + uuid)).status()).isEqualTo(404);

        // A legacy insert appears in the catalogue; a legacy delete removes it.
        sync.legacySql("INSERT INTO film (title, release_year, language_id, rating, length) VALUES ('ACADEMY DINOSAUR', 2006, 1, 'PG', 86)");
        await().atMost(SYNC).until(() -> list("ACADEMY DINOSAUR").size() == 1);
        JsonNode legacyItem = list("ACADEMY DINOSAUR").get(0);
        assertThat(legacyItem.get("year").asInt()).isEqualTo(2006);
        assertThat(legacyItem.get("rating").asText()).isEqualTo("PG");
        assertThat(legacyItem.get("length").asInt()).isEqualTo(86);
        String legacyUuid = legacyItem.get("uuid").asText();
        sync.legacySql("DELETE FROM film WHERE uuid = ?", legacyUuid);
        await().atMost(SYNC).until(() -> item(legacyUuid).isEmpty());

        // No loop: one catalogue event per API write (3), and on the legacy topic the 3 echoes and the one legacy
        // update of the first item; the counts stay there.
        await().atMost(SYNC).during(Duration.ofSeconds(3)).until(() -> events(sync.catalogueTopic, uuid) == 3
                && events(sync.legacyTopic, uuid) == 4);
        assertThat(sync.catalogueContent()).isEqualTo(sync.legacyContent());
    }

    @Test
    void aLegacyChangeOfColumnsTheCatalogueDoesNotCarryMakesNoEvent() throws Exception {
        sync.legacySql("INSERT INTO film (title, language_id) VALUES ('RENTAL ONLY', 1)");
        await().atMost(SYNC).until(() -> list("RENTAL ONLY").size() == 1);
        String uuid = list("RENTAL ONLY").get(0).get("uuid").asText();
        long version = list("RENTAL ONLY").get(0).get("version").asLong();
        sync.legacySql("UPDATE film SET rental_rate = 0.99, replacement_cost = 9.99 WHERE uuid = ?", uuid);
        // A change of the title afterwards proves the first one went through the pipeline before it.
        sync.legacySql("UPDATE film SET title = 'RENTAL ONLY 2' WHERE uuid = ?", uuid);
        await().atMost(SYNC).until(() -> list("RENTAL ONLY 2").size() == 1);
        assertThat(list("RENTAL ONLY 2").get(0).get("version").asLong()).isEqualTo(version + 1);
        assertThat(events(sync.legacyTopic, uuid)).isEqualTo(2);
    }

    @Test
    void badRequestsAreRefusedWithTheReason() throws Exception {
        String url = sync.api("/catalogue");
        assertThat(post(url, "{\"title\": ")).satisfies(r -> assertThat(r.status()).isEqualTo(400))
                .satisfies(r -> assertThat(r.body()).contains("not valid JSON"));
        assertThat(post(url, "{\"year\": 1999}").body()).contains("title: required");
        assertThat(post(url, "{\"title\": \"X\", \"year\": 1800}").body()).contains("year: must be between 1901 and 2155");
        assertThat(post(url, "{\"title\": \"X\", \"director\": \"M. Night\"}").body()).contains("director: unknown field");
        assertThat(post(url, "{\"title\": \"X\", \"rating\": \"XXX\"}").status()).isEqualTo(400);
        assertThat(post(url, "[1, 2]").status()).isEqualTo(400);
        assertThat(post(url, "{\"title\": \"" + "x".repeat(200_000) + "\"}").status()).isEqualTo(413);
        assertThat(Http.get(sync.api("/catalogue/00000000-0000-0000-0000-000000000000")).status()).isEqualTo(404);
        assertThat(Http.get(sync.api("/catalogue?page=-1")).status()).isEqualTo(400);

        // SQL in a title is stored literally, on both sides.
        String injection = "Robert'); DROP TABLE film; --";
        Http.Response created = post(url, JSON.writeValueAsString(Map.of("title", injection)));
        assertThat(created.status()).isEqualTo(201);
        String uuid = JSON.readTree(created.body()).get("uuid").asText();
        await().atMost(SYNC).until(() -> sync.legacyFilm(uuid).map(f -> injection.equals(f.get("title"))).orElse(false));

        // A stale If-Match is refused with 412, the current one accepted.
        String etag = created.etag();
        assertThat(Http.send("PUT", url + "/" + uuid, "{\"title\": \"A\"}", "Content-Type", "application/json",
                "If-Match", etag).status()).isEqualTo(200);
        assertThat(Http.send("PUT", url + "/" + uuid, "{\"title\": \"B\"}", "Content-Type", "application/json",
                "If-Match", etag).status()).isEqualTo(412);
        assertThat(Http.send("PUT", sync.api("/catalogue/00000000-0000-0000-0000-000000000000"), "{\"title\": \"B\"}",
                "Content-Type", "application/json").status()).isEqualTo(404);
    }

    @Test
    void aLegacyRowTheCatalogueCannotHoldIsDeadLetteredAndTheSyncGoesOn() throws Exception {
        sync.legacySql("INSERT INTO film (title, language_id) VALUES ('   ', 1)");
        sync.legacySql("INSERT INTO film (title, language_id) VALUES ('AFTER THE BAD ONE', 1)");
        await().atMost(SYNC).until(() -> list("AFTER THE BAD ONE").size() == 1);
        List<ConsumerRecord<String, String>> dead = TestKafka.consumeUntil(sync.deadLetterTopic, r -> !r.isEmpty(), SYNC);
        assertThat(new String(dead.get(0).headers().lastHeader("junction.dbsync.reason").value()))
                .contains("title: must not be blank");
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        Http.Response doc = Http.get(sync.api("/openapi.json"));
        assertThat(doc.status()).isEqualTo(200);
        assertThat(JSON.readTree(doc.body()).get("paths").has("/catalogue/{uuid}")).isTrue();
    }

    private static Http.Response post(String url, String body) {
        return Http.send("POST", url, body, "Content-Type", "application/json");
    }

    private static Optional<JsonNode> item(String uuid) throws Exception {
        Http.Response r = Http.get(sync.api("/catalogue/" + uuid));
        return r.status() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    }

    private static List<JsonNode> list(String title) throws Exception {
        Http.Response r = Http.get(sync.api("/catalogue?size=100&title=" + java.net.URLEncoder.encode(title, "UTF-8")));
        assertThat(r.status()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        JSON.readTree(r.body()).get("items").forEach(i -> {
            if (i.get("title").asText().equals(title)) {
                items.add(i);
            }
        });
        return items;
    }

    private static long events(String topic, String uuid) {
        return TestKafka.readAll(TestKafka.bootstrap(), topic).stream().filter(r -> uuid.equals(r.key())).count();
    }
}
