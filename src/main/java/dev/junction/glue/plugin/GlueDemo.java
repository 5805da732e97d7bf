package dev.junction.glue.plugin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.DemoTopicWriter;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.glue.GlueNode;
import dev.junction.glue.GlueSettings;
import dev.junction.infra.Ports;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaTopics;
import io.micrometer.core.instrument.Counter;
import dev.junction.observe.FlowMetrics;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The glue demo: the bridge's endpoint is the rendezvous point (unicast on loopback, so no multicast flag is
 * needed); a sensor endpoint publishes readings that the bridge writes to Kafka and two displays receive; an
 * application writes commands to Kafka that the bridge publishes to the displays. Rows: the bridge and each display.
 */
final class GlueDemo implements FlowDemo {

    static final String KAFKA_TOPIC = "demo.glue.sensors";
    private static final String TOPIC = "sensors";
    private static final String TYPE = "reading";

    private final List<GlueNode> nodes = new ArrayList<>();
    private ScheduledExecutorService sensor;
    private DemoTopicWriter writer;
    private KafkaCluster cluster;
    private String networkId;
    private int rendezvousPort;

    @Override
    public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
        cluster = config.kafkaCluster(KafkaCluster.DEFAULT);
        rendezvousPort = Ports.freePort();
        networkId = "demo-" + rendezvousPort;
        KafkaTopics.createIfMissing(cluster, KAFKA_TOPIC, 1);
        site.announce("glue: a sensor and two displays on glue topic " + TOPIC + ", bridged both ways to Kafka topic " + KAFKA_TOPIC
                + "; join in: GLUE_NETWORK_ID=" + networkId + " GLUE_DISCOVERY_TARGET_ADDRESS=127.0.0.1:" + rendezvousPort
                + " java -jar target/junction.jar glue-endpoint --topic " + TOPIC + " --type " + TYPE);
        return config.with("glue.enabled", "true").with("glue.bridge.topic", TOPIC).with("glue.bridge.type", TYPE)
                .with("glue.bridge.kafka-topic", KAFKA_TOPIC)
                .with("camel.component.glue.networkId", networkId)
                .with("camel.component.glue.endpointName", "junction-bridge")
                .with("camel.component.glue.listenAddress", "127.0.0.1:0")
                .with("camel.component.glue.discoveryTargetAddress", "0")
                .with("camel.component.glue.discoveryListenAddress", "127.0.0.1:" + rendezvousPort);
    }

    @Override
    public List<FlowRow> start(DemoSite site, CamelContext camel) {
        List<FlowRow> rows = new ArrayList<>();
        rows.add(new FlowRow("glue", () -> -1, List.of("glue-")));
        GlueNode sensorNode = node("sensor-1");
        for (String display : List.of("display-1", "display-2")) {
            String flow = "glue " + display;
            Counter received = FlowMetrics.records(camel, flow);
            node(display).subscribe(TOPIC, TYPE, m -> received.increment());
            rows.add(new FlowRow(flow, () -> -1, List.of()));
        }
        AtomicLong n = new AtomicLong();
        long periodMicros = Math.max(1, 1_000_000L / Math.max(1, site.recordsPerSecond()));
        sensor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "glue-demo-sensor");
            t.setDaemon(true);
            return t;
        });
        sensor.scheduleAtFixedRate(() -> sensorNode.publish(TOPIC, TYPE, Duration.ofSeconds(5),
                ("{\"sensor\":1,\"reading\":" + n.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8)),
                0, periodMicros, TimeUnit.MICROSECONDS);
        // Kafka to glue: an application's commands (ten a second) reach the displays through the bridge.
        writer = DemoTopicWriter.start("glue", cluster, 1, i -> new ProducerRecord<>(KAFKA_TOPIC, "command-" + i, "{\"command\":" + i + "}"));
        return rows;
    }

    private GlueNode node(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("GLUE_NETWORK_ID", networkId);
        env.put("GLUE_ENDPOINT_NAME", name);
        env.put("GLUE_LISTEN_ADDRESS", "127.0.0.1:0");
        env.put("GLUE_DISCOVERY_TARGET_ADDRESS", "127.0.0.1:" + rendezvousPort);
        try {
            GlueNode node = GlueNode.start(GlueSettings.from(env));
            nodes.add(node);
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JunctionException("glue demo: interrupted while starting " + name);
        }
    }

    @Override
    public void close() {
        if (sensor != null) {
            sensor.shutdownNow();
        }
        if (writer != null) {
            writer.close();
        }
        nodes.forEach(GlueNode::close);
    }
}
