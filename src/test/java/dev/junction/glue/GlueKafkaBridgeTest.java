package dev.junction.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.glue.model.StateEntry;
import dev.junction.glue.topics.GlueMessage;
import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code glue:} component in the shipped routes and Kamelets, against a glue endpoint of its own and the embedded
 * Kafka: routes/glue-kafka-bridge both ways without echoes; glue-source and glue-sink, messages and state.
 */
class GlueKafkaBridgeTest {

    @TempDir
    Path dir;

    private final int rendezvousPort = Ports.freePort();
    private final String networkId = "bridge-" + rendezvousPort;

    /** The component's glue endpoint is the rendezvous point, on loopback. */
    private Map<String, String> componentSettings() {
        Map<String, String> props = new HashMap<>();
        props.put("camel.component.glue.networkId", networkId);
        props.put("camel.component.glue.endpointName", "bridge");
        props.put("camel.component.glue.listenAddress", "127.0.0.1:0");
        props.put("camel.component.glue.discoveryTargetAddress", "0");
        props.put("camel.component.glue.discoveryListenAddress", "127.0.0.1:" + rendezvousPort);
        props.put("camel.component.glue.discoveryRateMilliseconds", "100");
        return props;
    }

    private GlueNode peer(String name) throws InterruptedException {
        return GlueNode.start(GlueSettings.from(Map.of("GLUE_NETWORK_ID", networkId, "GLUE_ENDPOINT_NAME", name,
                "GLUE_LISTEN_ADDRESS", "127.0.0.1:0", "GLUE_DISCOVERY_TARGET_ADDRESS", "127.0.0.1:" + rendezvousPort,
                "GLUE_DISCOVERY_RATE_MILLISECONDS", "100")));
    }

    private static GlueNode bridgeNode(JunctionRuntime runtime) {
        return runtime.camelContext().getComponent("glue", GlueComponent.class).node();
    }

    @Test
    void theBridgeCarriesBothWaysAndNothingEchoes() throws Exception {
        String kafkaTopic = TestKafka.uniqueName("glue-bridge");
        TestKafka.createTopic(kafkaTopic, 1);
        Map<String, String> props = componentSettings();
        props.put("glue.enabled", "true");
        props.put("glue.bridge.topic", "sensors");
        props.put("glue.bridge.type", "reading");
        props.put("glue.bridge.kafka-topic", kafkaTopic);
        props.put("glue.bridge.group-id", kafkaTopic);
        props.put("glue.bridge.auto-offset-reset", "earliest");
        List<String> atSensor = new CopyOnWriteArrayList<>();
        try (JunctionRuntime runtime = TestJunction.start(List.of(TestJunction.repoRoute("glue-kafka-bridge.camel.yaml")), props);
             GlueNode sensor = peer("sensor")) {
            // The sensor subscribes too: an echo of its own messages would show up here.
            sensor.subscribe("sensors", "reading", m -> atSensor.add(new String(m.payload(), StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(20)).until(() -> bridgeNode(runtime) != null
                    && bridgeNode(runtime).peers().stream().anyMatch(p -> p.subscribes("sensors", "reading"))
                    && sensor.peers().stream().anyMatch(p -> p.subscribes("sensors", "reading")));

            for (int i = 0; i < 500; i++) {
                assertThat(sensor.publish("sensors", "reading", null, ("reading " + i).getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
            }
            List<ConsumerRecord<String, String>> fromGlue = TestKafka.consumeUntil(kafkaTopic, r -> r.size() >= 500, Duration.ofSeconds(30));
            assertThat(fromGlue).extracting(ConsumerRecord::value).first().isEqualTo("reading 0");
            assertThat(fromGlue.get(499).value()).isEqualTo("reading 499");
            assertThat(new String(fromGlue.get(0).headers().lastHeader("GluePublisher").value(), StandardCharsets.UTF_8))
                    .isEqualTo("sensor");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestKafka.bootstrap()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>(kafkaTopic, "k" + i, "command " + i));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> atSensor.size() >= 300);
            // Nothing more comes: none of the sensor's 500 back to glue, none of the 300 back to Kafka.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> atSensor.size() == 300);
            for (int i = 0; i < 300; i++) {
                assertThat(atSensor.get(i)).isEqualTo("command " + i);
            }
            assertThat(TestKafka.readAll(TestKafka.bootstrap(), kafkaTopic)).hasSize(800);
        }
    }

    @Test
    void theKameletsPublishSubscribeAndWriteState() throws Exception {
        Path routes = dir.resolve("glue-pipes.camel.yaml");
        Files.writeString(routes, """
                - route:
                    id: to-glue
                    from:
                      uri: "direct:publish"
                      steps:
                        - to:
                            uri: "kamelet:glue-sink"
                            parameters:
                              topic: alerts
                              type: text
                              expiry: 30s
                - route:
                    id: to-state
                    from:
                      uri: "direct:state"
                      steps:
                        - to:
                            uri: "kamelet:glue-sink"
                            parameters:
                              topic: settings
                              state: true
                - route:
                    id: from-glue
                    from:
                      uri: "kamelet:glue-source"
                      parameters:
                        topic: replies
                        type: text
                      steps:
                        - to: "mock:replies"
                """);
        Map<String, String> props = componentSettings();
        props.put("camel.component.kamelet.location", "file:" + TestJunction.repoDir().resolve("kamelets"));
        List<GlueMessage> alerts = new CopyOnWriteArrayList<>();
        try (JunctionRuntime runtime = TestJunction.start(List.of(routes), props); GlueNode peer = peer("operator")) {
            peer.subscribe("alerts", "text", alerts::add);
            GlueState settings = peer.state("settings");
            List<StateEntry> changes = new CopyOnWriteArrayList<>();
            settings.onChange(changes::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> bridgeNode(runtime).peers().stream()
                    .anyMatch(p -> p.subscribes("alerts", "text") && p.subscribes("settings", GlueNode.STATE_TYPE))
                    && peer.peers().stream().anyMatch(p -> p.subscribes("replies", "text")));
            var template = runtime.camelContext().createProducerTemplate();
            template.sendBody("direct:publish", "disk full");
            template.sendBodyAndHeader("direct:state", "30", GlueConstants.KEY, "interval");
            template.sendBodyAndHeader("direct:state", null, GlueConstants.KEY, "gone");
            peer.publish("replies", "text", null, "ack".getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 1 && settings.get("interval") != null);
            assertThat(new String(alerts.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("disk full");
            assertThat(alerts.get(0).expiresAt()).isGreaterThan(System.currentTimeMillis());
            assertThat(new String(settings.get("interval"), StandardCharsets.UTF_8)).isEqualTo("30");
            assertThat(settings.get("gone")).isNull();
            var mock = runtime.camelContext().getEndpoint("mock:replies", org.apache.camel.component.mock.MockEndpoint.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 1);
            assertThat(mock.getReceivedExchanges().get(0).getIn().getBody(String.class)).isEqualTo("ack");
            assertThat(mock.getReceivedExchanges().get(0).getIn().getHeader(GlueConstants.PUBLISHER)).isEqualTo("operator");
        }
    }
}
