package dev.junction.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The daemon's meters, tagged with its id: clients, records in flight and buffered, lag, leadership, redeliveries
 * and protocol errors. Records delivered are the flow's own counter ({@code junction.flow.records}, flow=fanout).
 */
final class FanoutMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    FanoutMetrics(MeterRegistry registry, String id, FanoutService service, RecordPoller poller) {
        this.registry = registry;
        gauge("junction.fanout.clients", "Connected clients", id, service, FanoutService::connectedClients);
        gauge("junction.fanout.in.flight", "Records at clients, not yet acknowledged", id, service, FanoutService::inFlight);
        gauge("junction.fanout.buffered", "Records read from Kafka and not done (the bounded buffer's fill)", id, poller,
                RecordPoller::outstanding);
        gauge("junction.fanout.leader", "1 while this daemon leads", id, service, s -> s.isLeader() ? 1 : 0);
        gauge("junction.fanout.lag", "Records of the topic not read yet (-1: not known)", id, poller, RecordPoller::lag);
        counter("junction.fanout.redeliveries", "Deliveries that ended without an ACK and went to another client", id,
                service, FanoutService::failedAttempts);
        counter("junction.fanout.protocol.errors", "Connections closed for breaking the protocol", id, service,
                FanoutService::protocolErrors);
    }

    private <T> void gauge(String name, String description, String id, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(description).tag("flow", "fanout").tag("id", id)
                .register(registry));
    }

    private <T> void counter(String name, String description, String id, T source, ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, source, value).description(description).tag("flow", "fanout")
                .tag("id", id).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
