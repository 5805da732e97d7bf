package dev.junction.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.apache.camel.CamelContext;

/**
 * The per-flow figures every flow reports, under one meter name with a {@code flow} tag, so that Prometheus
 * and the demo's progress line read the same numbers.
 * <p>
 * YAML routes count a record with {@code to: "micrometer:counter:junction.flow.records?tags=flow=NAME"};
 * Java code uses {@link #records(CamelContext, String)}.
 */
public final class FlowMetrics {

    /** Records a flow delivered to its destination. Prometheus: {@code junction_flow_records_total}. */
    public static final String RECORDS = "junction.flow.records";
    /** Records waiting to be delivered (consumer lag, outbox backlog). Prometheus: {@code junction_flow_lag}. */
    public static final String LAG = "junction.flow.lag";

    private FlowMetrics() {
    }

    public static MeterRegistry registry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            throw new IllegalStateException("no Micrometer registry: set camel.metrics.enabled=true");
        }
        return registry;
    }

    public static Counter records(CamelContext context, String flow) {
        // Same tag keys as the micrometer component's counters (it adds camelContext), as Prometheus requires.
        return Counter.builder(RECORDS).tag("camelContext", context.getName()).tag("flow", flow)
                .description("Records a flow delivered").register(registry(context));
    }

    /** Total records delivered by {@code flow} so far (0 before the first). */
    public static double recordsTotal(MeterRegistry registry, String flow) {
        return Search.in(registry).name(RECORDS).tag("flow", flow).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
