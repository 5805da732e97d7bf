package dev.junction.dbsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.junction.dbsync.plugin.DbSyncDatabases;
import dev.junction.infra.EmbeddedMariaDb;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestDatabases;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kamelets/mysql-cdc-source.kamelet.yaml as a Camel K Pipe uses it: a route from kamelet:mysql-cdc-source to Kafka. */
class MySqlCdcKameletTest {

    @TempDir
    Path dir;

    @Test
    void theKameletStreamsInsertsUpdatesAndDeletes() throws Exception {
        EmbeddedMariaDb maria = TestDatabases.mariaDb();
        String url = TestDatabases.newDatabase(maria, "cdc");
        String database = url.substring(url.lastIndexOf('/') + 1);
        DbSyncDatabases.createSakila(url, maria.user(), maria.password());
        String topic = TestKafka.uniqueName("cdc-kamelet");
        Path pipe = dir.resolve("pipe.camel.yaml");
        Files.writeString(pipe, """
                - route:
                    id: cdc-pipe
                    from:
                      uri: "kamelet:mysql-cdc-source"
                      parameters:
                        host: localhost
                        port: %d
                        user: root
                        password: any
                        database: %s
                        tables: %s.film
                        serverId: %d
                        stateDir: "%s"
                      steps:
                        - to: "kafka:%s"
                """.formatted(maria.port(), database, database, 7000 + (int) (Math.random() * 1000), dir.resolve("state"), topic));
        Map<String, String> props = Map.of("camel.component.kamelet.location", "file:" + TestJunction.repoDir().resolve("kamelets"));
        try (JunctionRuntime runtime = TestJunction.start(List.of(pipe), props);
                Connection c = DriverManager.getConnection(url, maria.user(), maria.password()); Statement s = c.createStatement()) {
            // Once the warm-up row is through, the engine streams the binlog.
            s.executeUpdate("INSERT INTO film (title, language_id, uuid) VALUES ('WARM UP', 1, 'k-0')");
            assertThat(TestKafka.consumeUntil(topic, r -> !r.isEmpty(), Duration.ofSeconds(60))).hasSize(1);
            s.executeUpdate("INSERT INTO film (title, language_id, uuid) VALUES ('KAMELET FILM', 1, 'k-1')");
            s.executeUpdate("UPDATE film SET title = 'KAMELET FILM 2' WHERE uuid = 'k-1'");
            s.executeUpdate("DELETE FROM film WHERE uuid = 'k-1'");
            List<ConsumerRecord<String, String>> records = TestKafka.consumeUntil(topic, r -> r.size() >= 4, Duration.ofSeconds(60))
                    .subList(1, 4);
            assertThat(records).hasSize(3);
            assertThat(records.get(0).value()).contains("\"title\":\"KAMELET FILM\"", "\"uuid\":\"k-1\"");
            assertThat(records.get(1).value()).contains("\"title\":\"KAMELET FILM 2\"");
            // The delete carries the row as it was before it (Camel's own headers, the operation among them, stay
            // in the exchange: camel-kafka does not send Camel* headers).
            assertThat(records.get(2).value()).contains("\"title\":\"KAMELET FILM 2\"", "\"uuid\":\"k-1\"");
        }
    }
}
