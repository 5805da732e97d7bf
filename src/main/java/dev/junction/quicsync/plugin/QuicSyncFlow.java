package dev.junction.quicsync.plugin;

import java.util.List;
import java.util.Optional;

import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;

/**
 * quic-sync: Kafka topics mirrored between clusters over QUIC. Both routes are off unless enabled; the demo runs
 * both ends in one process against a second embedded cluster.
 */
public final class QuicSyncFlow implements JunctionFlow {

    @Override
    public String name() {
        return "quic-sync";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("quic-sync-sender.camel.yaml", "quic-sync-receiver.camel.yaml");
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new QuicSyncDemo());
    }
}
