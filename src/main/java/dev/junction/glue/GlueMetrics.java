package dev.junction.glue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.junction.glue.wire.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A glue endpoint's meters, tagged flow=glue and its name: peers, messages and bytes both ways, resends, drops by
 * reason, reassembly failures, messages skipped for a full stream.
 */
final class GlueMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final String name;
    private final List<Meter> meters = new ArrayList<>();

    GlueMetrics(MeterRegistry registry, GlueNode node) {
        this.registry = registry;
        this.name = node.name();
        gauge("junction.glue.peers", "Peers discovery knows now", node, n -> n.statistics().peers());
        gauge("junction.glue.peers.absent", "Peers lost whose queued messages are kept for them (partition caching)", node,
                n -> n.statistics().absentPeers());
        gauge("junction.glue.delivery.queue", "Messages received and waiting for the subscribers", node, n -> n.statistics().deliveryQueue());
        counter("junction.glue.messages.in", "Messages handed to subscribers", node, n -> n.statistics().messagesIn());
        counter("junction.glue.messages.out", "Messages queued for a peer (one per peer)", node, n -> n.statistics().messagesOut());
        counter("junction.glue.bytes.in", "Bytes of datagrams received", node, n -> n.statistics().bytesIn());
        counter("junction.glue.bytes.out", "Bytes of datagrams sent", node, n -> n.statistics().bytesOut());
        counter("junction.glue.datagrams.in", "Datagrams received", node, n -> n.statistics().datagramsIn());
        counter("junction.glue.datagrams.out", "Datagrams sent", node, n -> n.statistics().datagramsOut());
        counter("junction.glue.resends", "Data frames sent again", node, n -> n.statistics().resends());
        counter("junction.glue.reassembly.failures", "Fragmented messages dropped incomplete (timeout, memory bound, too large)", node,
                n -> n.statistics().reassemblyFailures());
        counter("junction.glue.full.streams", "Messages not queued for a peer whose stream stayed full", node, n -> n.statistics().fullStreams());
        counter("junction.glue.expired.on.arrival", "Messages that arrived after their expiry", node, n -> n.statistics().expiredOnArrival());
        for (DropReason reason : DropReason.values()) {
            meters.add(FunctionCounter.builder("junction.glue.dropped", node, n -> n.statistics().dropped(reason))
                    .description("Datagrams dropped, by reason").tag("flow", "glue").tag("endpoint", name)
                    .tag("reason", reason.tag()).register(registry));
        }
    }

    private void gauge(String meter, String description, GlueNode node, ToDoubleFunction<GlueNode> value) {
        meters.add(Gauge.builder(meter, node, value).description(description).tag("flow", "glue").tag("endpoint", name)
                .register(registry));
    }

    private void counter(String meter, String description, GlueNode node, ToDoubleFunction<GlueNode> value) {
        meters.add(FunctionCounter.builder(meter, node, value).description(description).tag("flow", "glue")
                .tag("endpoint", name).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
