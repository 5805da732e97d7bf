package dev.junction.glue.plugin;

import java.util.List;
import java.util.Optional;

import dev.junction.flow.FlowCommand;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;

/** glue: brokerless pub/sub over UDP on the LAN (multicast or rendezvous discovery), bridged to Kafka. */
public final class GlueFlow implements JunctionFlow {

    @Override
    public String name() {
        return "glue";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("glue-kafka-bridge.camel.yaml");
    }

    @Override
    public List<FlowCommand> commands() {
        return List.of(new GlueEndpointCommand());
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new GlueDemo());
    }
}
