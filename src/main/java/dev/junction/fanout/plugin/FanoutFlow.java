package dev.junction.fanout.plugin;

import java.util.List;
import java.util.Optional;

import dev.junction.flow.FlowCommand;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.JunctionFlow;

/** fanout: each record of a Kafka topic delivered to one of many connected clients, with acks and canary weights. */
public final class FanoutFlow implements JunctionFlow {

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("fanout.camel.yaml");
    }

    @Override
    public List<FlowCommand> commands() {
        return List.of(new FanoutDaemonCommand(), new FanoutClientCommand());
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new FanoutDemo());
    }
}
