package dev.junction.fanout.plugin;

import java.util.ArrayList;
import java.util.List;

import dev.junction.config.JunctionConfig;
import dev.junction.fanout.client.FanoutClient;
import dev.junction.flow.DemoSite;
import dev.junction.flow.DemoTopicWriter;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.infra.Ports;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.observe.FlowMetrics;
import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaTopics;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The fanout demo: the daemon on a free port, an application writing to its topic, and three clients, one of them a
 * canary that gets 10%. The table shows the daemon's row and one per client, so the split can be read off the rates.
 */
final class FanoutDemo implements FlowDemo {

    static final String TOPIC = "demo.user_need";
    private static final String ID = "demo";

    private final List<FanoutClient> clients = new ArrayList<>();
    private DemoTopicWriter writer;
    private ConsumerGroupLag lag;
    private KafkaCluster cluster;
    private int port;

    @Override
    public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
        cluster = config.kafkaCluster(KafkaCluster.DEFAULT);
        port = Ports.freePort();
        KafkaTopics.createIfMissing(cluster, TOPIC, 3);
        site.announce("fanout: " + TOPIC + " delivered to 3 clients (one a 10% canary) by the daemon on port " + port
                + "; connect one more: java -jar target/junction.jar fanout-client --server localhost:" + port);
        return config.with("fanout.enabled", "true").with("fanout.id", ID).with("fanout.topic", TOPIC)
                .with("camel.component.fanout.port", String.valueOf(port))
                .with("fanout.advertised-address", "localhost:" + port);
    }

    @Override
    public List<FlowRow> start(DemoSite site, CamelContext camel) {
        List<FlowRow> rows = new ArrayList<>();
        lag = new ConsumerGroupLag(cluster);
        rows.add(new FlowRow("fanout", () -> lag.lag("fanout_" + ID), List.of("fanout-" + ID, "route:fanout")));
        for (String[] client : new String[][] {{"worker-1", "stable"}, {"worker-2", "stable"}, {"canary-1", "canary"}}) {
            String flow = "fanout " + client[0] + (client[1].equals("canary") ? " (canary)" : "");
            Counter received = FlowMetrics.records(camel, flow);
            clients.add(FanoutClient.builder().servers("localhost:" + port).name(client[0]).group(client[1])
                    .handler(record -> {
                        received.increment();
                        record.ack();
                    }).start());
            rows.add(new FlowRow(flow, () -> -1, List.of()));
        }
        writer = DemoTopicWriter.start("fanout", cluster, site.recordsPerSecond(),
                n -> new ProducerRecord<>(TOPIC, "user-" + (n % 50), "{\"need\":" + n + "}"));
        return rows;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        clients.forEach(FanoutClient::close);
        if (lag != null) {
            lag.close();
        }
    }
}
