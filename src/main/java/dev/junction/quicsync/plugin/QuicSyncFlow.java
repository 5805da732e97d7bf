package dev.junction.quicsync.plugin;

import java.util.List;
import java.util.Optional;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;
import dev.junction.infra.Infrastructure;

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

    /**
     * Checks the clusters the enabled ends read and write, with their own client settings, so that a refused
     * login or an untrusted certificate is one error line at start instead of clients that retry for ever.
     */
    @Override
    public JunctionConfig configure(JunctionConfig config, Infrastructure infra) {
        if (config.getBoolean("quic-sync.sender.enabled")) {
            infra.checkReachable(config.kafkaCluster("quic-sync.source"), "QUIC_SYNC_SOURCE_BOOTSTRAP");
        }
        if (config.getBoolean("quic-sync.receiver.enabled")) {
            infra.checkReachable(config.kafkaCluster("quic-sync.destination"), "QUIC_SYNC_DESTINATION_BOOTSTRAP");
        }
        return config;
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new QuicSyncDemo());
    }
}
