package dev.junction.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.junction.flow.FlowRow;
import dev.junction.observe.FlowMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's live table: a row per flow with records/s over the last interval, total records, lag and health.
 * On a terminal it is redrawn in place; otherwise each refresh prints plain lines. Lag is also published as the
 * gauge {@link FlowMetrics#LAG}.
 */
final class FlowTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowTable.class);
    private static final String HEADER = String.format("%-16s %10s %14s %10s  %s", "FLOW", "REC/S", "TOTAL", "LAG", "HEALTH");
    /** Lines are cut to the terminal's width, so that a redraw in place moves over exactly the lines it drew. */
    private static final int WIDTH = terminalWidth();

    private final CamelContext camel;
    private final MeterRegistry registry;
    private final List<FlowRow> rows;
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, Double> lastTotals = new HashMap<>();
    private final Map<String, Long> lags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-demo-table");
        t.setDaemon(true);
        return t;
    });
    private long lastTick = System.nanoTime();
    private int linesDrawn;

    FlowTable(CamelContext camel, List<FlowRow> rows, PrintStream out, boolean terminal) {
        this.camel = camel;
        this.registry = FlowMetrics.registry(camel);
        this.rows = rows;
        this.out = out;
        this.terminal = terminal;
        for (FlowRow row : rows) {
            lags.put(row.flow(), 0L);
            Gauge.builder(FlowMetrics.LAG, lags, m -> m.getOrDefault(row.flow(), 0L)).tag("flow", row.flow())
                    .description("Records waiting to be delivered by the flow").register(registry);
        }
    }

    /** Draws the table now and then every {@code intervalMillis}. */
    static FlowTable start(CamelContext camel, List<FlowRow> rows, PrintStream out, long intervalMillis, boolean terminal) {
        FlowTable table = new FlowTable(camel, rows, out, terminal);
        table.timer.scheduleAtFixedRate(table::refresh, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return table;
    }

    synchronized void refresh() {
        try {
            draw(lines());
        } catch (RuntimeException e) {
            // A failed refresh must not end the timer: the next one tries again.
            LOG.warn("Demo table refresh failed: {}", e.toString());
        }
    }

    /** The table's lines for this refresh. */
    List<String> lines() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastTick) / 1e9);
        lastTick = now;
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (FlowRow row : rows) {
            double total = FlowMetrics.recordsTotal(registry, row.flow());
            double rate = (total - lastTotals.getOrDefault(row.flow(), total)) / seconds;
            lastTotals.put(row.flow(), total);
            long lag = row.lag().getAsLong();
            lags.put(row.flow(), Math.max(0, lag));
            lines.add(String.format("%-16s %10.1f %,14d %10s  %s", row.flow(), rate, (long) total,
                    lag < 0 ? "?" : String.format("%,d", lag), health(row)));
        }
        return lines;
    }

    /** UP when every health check of the row is UP; DOWN with the first failing check's reason otherwise. */
    private String health(FlowRow row) {
        if (row.healthChecks().isEmpty()) {
            return "-";
        }
        HealthCheckRegistry checks = HealthCheckRegistry.get(camel);
        if (checks == null) {
            return "?";
        }
        List<HealthCheck> matching = checks.stream()
                .filter(c -> row.healthChecks().stream().anyMatch(prefix -> c.getId().startsWith(prefix)))
                .toList();
        for (HealthCheck check : matching) {
            HealthCheck.Result result = check.call();
            if (result.getState() == HealthCheck.State.DOWN) {
                String reason = result.getMessage().orElse(result.getError().map(Throwable::getMessage).orElse(check.getId()));
                return "DOWN  " + check.getId() + ": " + reason.lines().findFirst().orElse("");
            }
        }
        return matching.isEmpty() ? "starting" : "UP";
    }

    private void draw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (terminal) {
            if (linesDrawn > 0) {
                text.append("\033[").append(linesDrawn).append('F'); // back to the table's first line
            }
            for (String line : lines) {
                text.append("\033[2K").append(clip(line)).append('\n');
            }
            linesDrawn = lines.size();
        } else {
            String time = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
            if (linesDrawn == 0) {
                text.append(" ".repeat(time.length() + 1)).append(lines.get(0)).append('\n');
            }
            for (String line : lines.subList(1, lines.size())) {
                text.append(time).append(' ').append(line).append('\n');
            }
            linesDrawn += lines.size() - 1;
        }
        out.print(text);
        out.flush();
    }

    private static int terminalWidth() {
        try {
            return Math.max(60, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "160").trim()));
        } catch (NumberFormatException e) {
            return 160;
        }
    }

    private static String clip(String line) {
        return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 3) + "...";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
