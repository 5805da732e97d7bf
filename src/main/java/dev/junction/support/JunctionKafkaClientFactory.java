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
 * ({@code quic-sync.source}).
 */
public class JunctionKafkaClientFactory extends DefaultKafkaClientFactory implements CamelContextAware {

    private CamelContext camelContext;
    private String cluster = KafkaCluster.DEFAULT;

    @Override
    public Producer getProducer(Properties kafkaProps) {
        return super.getProducer(withClusterSettings(kafkaProps));
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return super.getConsumer(withClusterSettings(kafkaProps));
    }

    private Properties withClusterSettings(Properties endpointProps) {
        Properties p = new Properties();
        p.putAll(endpointProps);
        if (camelContext != null) {
            // The endpoint's brokers stay: the cluster's settings are its security and client properties.
            p.putAll(KafkaCluster.of(cluster, "", camelContext).settings());
        }
        return p;
    }

    public String getCluster() {
        return cluster;
    }

    /** Whose settings to add: {@code kafka} (the default) or a cluster prefix such as {@code quic-sync.source}. */
    public void setCluster(String cluster) {
        this.cluster = cluster;
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
