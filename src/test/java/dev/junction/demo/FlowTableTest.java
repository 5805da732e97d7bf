package dev.junction.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.junction.flow.FlowRow;
import dev.junction.observe.FlowMetrics;
import dev.junction.observe.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's table: a row per flow with its figures, DOWN with the reason when a check of the flow fails. */
class FlowTableTest {

    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private DefaultCamelContext camel;

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("meters", MeterRegistry.class, new SimpleMeterRegistry());
        // Built, not started: the table needs the registry and the health checks, not routes. Starting a context
        // here once met a ConcurrentModificationException inside Camel's start, raced by another test's threads.
        camel.build();
        HealthCheckRegistry.get(camel).register(new ReadinessCheck("orders-database") {
            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                if (databaseUp.get()) {
                    builder.up();
                } else {
                    builder.message("the orders database does not answer").down();
                }
            }
        });
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    private FlowTable table(boolean terminal) {
        return new FlowTable(camel, List.of(new FlowRow("orders", () -> 7, List.of("orders-")),
                new FlowRow("quiet", () -> -1, List.of())), new PrintStream(console, true, StandardCharsets.UTF_8), terminal);
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRowShowsTotalLagAndHealthAndTurnsDownWithTheReason() {
        FlowTable table = table(false);
        FlowMetrics.records(camel, "orders").increment(1234);
        table.refresh();
        assertThat(printed()).containsPattern("orders .* 1,234 +7  UP\n").containsPattern("quiet .* \\?  -\n");

        databaseUp.set(false);
        console.reset();
        table.refresh();
        assertThat(printed()).contains("DOWN  orders-database: the orders database does not answer");
    }

    @Test
    void onATerminalTheTableIsRedrawnInPlace() {
        FlowTable table = table(true);
        table.refresh();
        assertThat(printed()).startsWith("\033[2KFLOW").doesNotContain("\033[3F");
        console.reset();
        table.refresh();
        // back up over the header and two rows, then each line is cleared and written again
        assertThat(printed()).startsWith("\033[3F\033[2KFLOW");
    }
}
