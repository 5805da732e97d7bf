package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.junction.testing.OutboxFixture;
import org.junit.jupiter.api.Test;

/**
 * A relay that starts on an empty outbox (db-sync's catalogue does) keeps claiming as the table grows. PostgreSQL keeps
 * a generic plan for a statement the driver prepared, and the one made on the empty table scanned the whole table
 * per candidate row (seconds a claim with 20,000 rows); the relay's session asks for a plan at each execution.
 */
class OutboxClaimPlanTest {

    @Test
    void aRelaySessionPlansTheClaimForTheTableAsItIsNow() throws Exception {
        OutboxFixture outbox = OutboxFixture.on("postgresql");
        OutboxDatabase database = new OutboxDatabase(outbox.configuration());
        OutboxTable table = database.table();
        try (Connection relay = database.connect(table.dialect().relaySessionSettings())) {
            relay.setAutoCommit(false);
            for (int i = 0; i < 10; i++) {
                assertThat(table.claim(relay, 1000, List.of())).isEmpty();
                relay.commit();
            }
            outbox.insertEvents(5000, 50, 0);

            assertThat(table.claim(relay, 1000, List.of())).hasSize(1000);
            relay.commit();
            assertThat(genericPlans(relay)).as("executions of the relay's statements with a generic plan").isZero();
        }
    }

    /**
     * Executions with a generic plan of the statements with parameters that this session prepared (PostgreSQL 14 and
     * later count them; a statement without parameters, COMMIT, has only the one plan).
     */
    private static long genericPlans(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(generic_plans), 0), COUNT(*) FROM pg_prepared_statements"
                     + " WHERE cardinality(parameter_types) > 0")) {
            rs.next();
            assertThat(rs.getLong(2)).as("statements the driver prepared").isPositive();
            return rs.getLong(1);
        }
    }
}
