package dev.junction.support;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * camel-kafka's client factory with Junction's cluster settings ({@link KafkaCluster}) added to every producer and
 * consumer a {@code kafka:} endpoint creates. {@code application.properties} makes it the component's factory for
 * the default cluster; a route that reads another cluster names a bean of its own with {@code cluster} set
 * ({@code quic-sync.source}). The cluster's settings win over the endpoint's own options of the same name.
 */
public class JunctionKafkaClientFactory extends DefaultKafkaClientFactory implements CamelContextAware {

    private CamelContext camelContext;
    private String kafkaCluster = KafkaCluster.DEFAULT;

    @Override
    public Producer getProducer(Properties kafkaProps) {
        return super.getProducer(withClusterSettings(kafkaProps));
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return super.getConsumer(withClusterSettings(kafkaProps));
    }

    /** The endpoint's brokers stay; the cluster's settings go on top of its other options. */
    private Properties withClusterSettings(Properties endpointProps) {
        if (camelContext == null) {
            throw new IllegalStateException("JunctionKafkaClientFactory has no CamelContext to read the cluster's settings from");
        }
        Properties p = new Properties();
        p.putAll(endpointProps);
        p.putAll(KafkaCluster.settings(kafkaCluster, camelContext));
        return p;
    }

    public String getKafkaCluster() {
        return kafkaCluster;
    }

    /** Whose settings to add: {@code kafka} (the default) or a cluster such as {@code quic-sync.source}. */
    public void setKafkaCluster(String kafkaCluster) {
        this.kafkaCluster = kafkaCluster;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
