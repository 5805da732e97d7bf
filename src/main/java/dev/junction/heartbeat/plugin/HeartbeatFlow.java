package dev.junction.heartbeat.plugin;

import java.util.List;
import java.util.Optional;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.flow.JunctionFlow;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.support.KafkaCluster;
import org.apache.camel.CamelContext;

/** heartbeat: one record a tick through Kafka and back (routes/heartbeat.camel.yaml); needs Kafka only. */
public final class HeartbeatFlow implements JunctionFlow {

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public List<String> routeFiles() {
        return List.of("heartbeat.camel.yaml");
    }

    @Override
    public Optional<FlowDemo> demo() {
        return Optional.of(new HeartbeatDemo());
    }

    /** The heartbeat needs no sample data: its row shows the receiving group's lag. */
    private static final class HeartbeatDemo implements FlowDemo {

        private ConsumerGroupLag lag;
        private String group;

        @Override
        public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
            lag = new ConsumerGroupLag(config.kafkaCluster(KafkaCluster.DEFAULT));
            group = config.get("heartbeat.group");
            return config;
        }

        @Override
        public List<FlowRow> start(DemoSite site, CamelContext camel) {
            return List.of(new FlowRow("heartbeat", () -> lag.lag(group), List.of("kafka-cluster", "route:heartbeat-")));
        }

        @Override
        public void close() {
            if (lag != null) {
                lag.close();
            }
        }
    }
}
