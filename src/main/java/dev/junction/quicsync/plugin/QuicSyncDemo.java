package dev.junction.quicsync.plugin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.DemoTopicWriter;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.infra.Server;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.quic.SelfSignedCertificates;
import dev.junction.quicsync.LoopbackLink;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import dev.junction.support.KafkaTopics;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's remote site for quic-sync: a second embedded Kafka cluster, a throwaway certificate, the settings that
 * turn both quic-sync routes on (sender and receiver in this one process, over real QUIC on loopback), and an
 * application writing to the mirrored topic.
 */
final class QuicSyncDemo implements FlowDemo {

    static final String TOPIC = "demo.orders";

    private DemoTopicWriter writer;
    private ConsumerGroupLag lag;
    private KafkaCluster source;
    private String group;

    @Override
    public Set<Server> servers() {
        return Set.of(Server.SECOND_KAFKA_CLUSTER);
    }

    /** Settings for both quic-sync routes: this cluster is site-a, the embedded remote cluster site-b. */
    @Override
    public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
        EmbeddedKafka remote = site.infra().secondKafka();
        source = config.kafkaCluster(KafkaCluster.DEFAULT);
        group = config.get("quic-sync.group");
        SelfSignedCertificates.Files3 certs;
        try {
            certs = SelfSignedCertificates.generate(site.dataDir().resolve("demo-certs"), "EC");
        } catch (Exception e) {
            throw new JunctionException("the demo cannot make its TLS certificate with keytool: " + e.getMessage());
        }
        JunctionConfig linked = config;
        for (var e : LoopbackLink.both(Ports.freePort(), certs, UUID.randomUUID().toString()).entrySet()) {
            linked = linked.with(e.getKey(), e.getValue());
        }
        KafkaTopics.createIfMissing(source, TOPIC, 3);
        site.announce("quic-sync: " + TOPIC + " at " + source.bootstrap() + " mirrored over QUIC to a second Kafka cluster at "
                + remote.bootstrapServers());
        return linked.with("quic-sync.topics.include", "demo[.]orders")
                .with("quic-sync.source-cluster", "site-a")
                .with("quic-sync.destination-cluster", "site-b")
                .with("quic-sync.destination.bootstrap", remote.bootstrapServers());
    }

    @Override
    public List<FlowRow> start(DemoSite site, CamelContext camel) {
        startWriting(site.recordsPerSecond());
        lag = new ConsumerGroupLag(source);
        return List.of(new FlowRow("quic-sync", () -> lag.lag(group), List.of("quic-sync-link", "route:quic-sync-")));
    }

    /** The application at site-a: {@code perSecond} order records a second into {@value #TOPIC}. */
    private void startWriting(int perSecond) {
        writer = DemoTopicWriter.start("quic-sync", source, perSecond, n -> {
            ProducerRecord<String, String> r = new ProducerRecord<>(TOPIC, "order-" + (n % 100),
                    "{\"order\":\"order-" + (n % 100) + "\",\"seq\":" + n + ",\"site\":\"a\"}");
            r.headers().add("source", "demo".getBytes(StandardCharsets.UTF_8));
            return r;
        });
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        if (lag != null) {
            lag.close();
        }
    }
}
