package dev.junction.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints one progress line per flow at a fixed interval: records/s over the last interval, total records and
 * the flow's lag (records waiting). Lag is also published as the gauge {@link FlowMetrics#LAG}.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger PROGRESS = LoggerFactory.getLogger("junction.progress");

    /** A flow to report on: its name (the {@code flow} tag) and how to read its lag. */
    public record Flow(String name, LongSupplier lag) {
    }

    private final MeterRegistry registry;
    private final List<Flow> flows;
    private final long intervalMillis;
    private final Map<String, Double> lastTotals = new LinkedHashMap<>();
    private final Map<String, Long> lastLags = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-progress");
        t.setDaemon(true);
        return t;
    });
    private long lastTick = System.nanoTime();

    public ProgressReporter(MeterRegistry registry, List<Flow> flows, long intervalMillis) {
        this.registry = registry;
        this.flows = flows;
        this.intervalMillis = intervalMillis;
        for (Flow flow : flows) {
            lastLags.put(flow.name(), 0L);
            Gauge.builder(FlowMetrics.LAG, lastLags, m -> m.get(flow.name())).tag("flow", flow.name())
                    .description("Records waiting to be delivered by the flow").register(registry);
        }
    }

    public void start() {
        timer.scheduleAtFixedRate(this::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Computes and prints one line per flow. */
    private synchronized void report() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastTick) / 1e9);
        lastTick = now;
        for (Flow flow : flows) {
            double total = FlowMetrics.recordsTotal(registry, flow.name());
            double rate = (total - lastTotals.getOrDefault(flow.name(), 0.0)) / seconds;
            lastTotals.put(flow.name(), total);
            long lag = flow.lag().getAsLong();
            lastLags.put(flow.name(), lag);
            PROGRESS.info(String.format("%-14s %10.1f rec/s   total %,12d   lag %s",
                    flow.name(), rate, (long) total, lag < 0 ? "?" : String.format("%,d", lag)));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
