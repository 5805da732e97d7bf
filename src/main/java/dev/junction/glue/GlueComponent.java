package dev.junction.glue;

import java.util.HashMap;
import java.util.Map;

import dev.junction.observe.FlowMetrics;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel component {@code glue:topic?type=...}: consume to subscribe, send to publish. One glue endpoint (a
 * {@link GlueNode}) per Camel context, started by the first route that needs it and stopped with the last. Its
 * settings are the original glue's environment variables; a property set here ({@code camel.component.glue.networkId})
 * takes the place of its variable ({@code GLUE_NETWORK_ID}).
 */
@org.apache.camel.spi.annotations.Component("glue")
public class GlueComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(GlueComponent.class);

    @Metadata(description = "GLUE_NETWORK_ID: endpoints only see endpoints of the same network")
    private String networkId;
    @Metadata(description = "GLUE_ENDPOINT_ID: a number of the user's, announced")
    private String endpointId;
    @Metadata(description = "GLUE_ENDPOINT_NAME: unique on the network; default the host name and a random suffix")
    private String endpointName;
    @Metadata(description = "GLUE_LISTEN_ADDRESS: host:port of the data socket; default 0.0.0.0:0")
    private String listenAddress;
    @Metadata(description = "GLUE_LISTEN_INTERFACE: the interface multicast goes out of and is joined on")
    private String listenInterface;
    @Metadata(description = "GLUE_DISCOVERY_TARGET_ADDRESS: where announcements go (a multicast group, or a rendezvous point's host:port); 0: this endpoint is the rendezvous point")
    private String discoveryTargetAddress;
    @Metadata(description = "GLUE_DISCOVERY_LISTEN_ADDRESS: host:port the discovery socket listens on")
    private String discoveryListenAddress;
    @Metadata(description = "GLUE_DISCOVERY_RATE_MILLISECONDS: how often this endpoint announces itself")
    private String discoveryRateMilliseconds;
    @Metadata(description = "GLUE_DISCOVERY_RATE_TIMEOUT_MULTIPLIER: a peer not heard of for its rate times this is gone")
    private String discoveryRateTimeoutMultiplier;
    @Metadata(description = "GLUE_NETWORK_KEY: a shared key; every datagram then carries an HMAC-SHA256 and replays are dropped", secret = true)
    private String networkKey;
    @Metadata(description = "GLUE_PARTITION_CACHE_MILLISECONDS: how long what is queued for a vanished peer is kept for it; 0: dropped at once")
    private String partitionCacheMilliseconds;
    @Metadata(description = "GLUE_MAX_BLOCKING_MILLISECONDS: how long a publish waits for room in a slow peer's stream before it skips that peer")
    private String maxBlockingMilliseconds;
    @Metadata(description = "GLUE_MAX_DATAGRAM_BYTES: the largest datagram to a peer on the LAN")
    private String maxDatagramBytes;

    private GlueNode node;
    private int users;
    private GlueMetrics metrics;
    private GlueHealthCheck health;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GlueConfiguration config = new GlueConfiguration();
        config.setTopic(remaining);
        GlueEndpoint endpoint = new GlueEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        if (remaining.isEmpty()) {
            throw new IllegalArgumentException("a glue endpoint needs a topic: glue:some_topic?type=some_type");
        }
        return endpoint;
    }

    /** This context's glue endpoint, started on first use. */
    synchronized GlueNode acquire() throws InterruptedException {
        if (node == null) {
            node = GlueNode.start(GlueSettings.from(environment()));
            metrics = new GlueMetrics(FlowMetrics.registry(getCamelContext()), node);
            health = new GlueHealthCheck(node);
            HealthCheckRegistry.get(getCamelContext()).register(health);
        }
        users++;
        return node;
    }

    /** Stops the glue endpoint when its last user stops. */
    synchronized void release() {
        if (node != null && --users == 0) {
            HealthCheckRegistry.get(getCamelContext()).unregister(health);
            metrics.close();
            node.close();
            LOG.info("glue: endpoint {} stopped", node.name());
            node = null;
        }
    }

    /** The running glue endpoint, or null (for tests and the demo). */
    public synchronized GlueNode node() {
        return node;
    }

    /** The GLUE_* variables, with this component's properties in place of those they set. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        put(env, "GLUE_NETWORK_ID", networkId);
        put(env, "GLUE_ENDPOINT_ID", endpointId);
        put(env, "GLUE_ENDPOINT_NAME", endpointName);
        put(env, "GLUE_LISTEN_ADDRESS", listenAddress);
        put(env, "GLUE_LISTEN_INTERFACE", listenInterface);
        put(env, "GLUE_DISCOVERY_TARGET_ADDRESS", discoveryTargetAddress);
        put(env, "GLUE_DISCOVERY_LISTEN_ADDRESS", discoveryListenAddress);
        put(env, "GLUE_DISCOVERY_RATE_MILLISECONDS", discoveryRateMilliseconds);
        put(env, "GLUE_DISCOVERY_RATE_TIMEOUT_MULTIPLIER", discoveryRateTimeoutMultiplier);
        put(env, "GLUE_NETWORK_KEY", networkKey);
        put(env, "GLUE_PARTITION_CACHE_MILLISECONDS", partitionCacheMilliseconds);
        put(env, "GLUE_MAX_BLOCKING_MILLISECONDS", maxBlockingMilliseconds);
        put(env, "GLUE_MAX_DATAGRAM_BYTES", maxDatagramBytes);
        return env;
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }

    public String getNetworkId() {
        return networkId;
    }

    public void setNetworkId(String networkId) {
        this.networkId = networkId;
    }

    public String getEndpointId() {
        return endpointId;
    }

    public void setEndpointId(String endpointId) {
        this.endpointId = endpointId;
    }

    public String getEndpointName() {
        return endpointName;
    }

    public void setEndpointName(String endpointName) {
        this.endpointName = endpointName;
    }

    public String getListenAddress() {
        return listenAddress;
    }

    public void setListenAddress(String listenAddress) {
        this.listenAddress = listenAddress;
    }

    public String getListenInterface() {
        return listenInterface;
    }

    public void setListenInterface(String listenInterface) {
        this.listenInterface = listenInterface;
    }

    public String getDiscoveryTargetAddress() {
        return discoveryTargetAddress;
    }

    public void setDiscoveryTargetAddress(String discoveryTargetAddress) {
        this.discoveryTargetAddress = discoveryTargetAddress;
    }

    public String getDiscoveryListenAddress() {
        return discoveryListenAddress;
    }

    public void setDiscoveryListenAddress(String discoveryListenAddress) {
        this.discoveryListenAddress = discoveryListenAddress;
    }

    public String getDiscoveryRateMilliseconds() {
        return discoveryRateMilliseconds;
    }

    public void setDiscoveryRateMilliseconds(String discoveryRateMilliseconds) {
        this.discoveryRateMilliseconds = discoveryRateMilliseconds;
    }

    public String getDiscoveryRateTimeoutMultiplier() {
        return discoveryRateTimeoutMultiplier;
    }

    public void setDiscoveryRateTimeoutMultiplier(String discoveryRateTimeoutMultiplier) {
        this.discoveryRateTimeoutMultiplier = discoveryRateTimeoutMultiplier;
    }

    public String getNetworkKey() {
        return networkKey;
    }

    public void setNetworkKey(String networkKey) {
        this.networkKey = networkKey;
    }

    public String getPartitionCacheMilliseconds() {
        return partitionCacheMilliseconds;
    }

    public void setPartitionCacheMilliseconds(String partitionCacheMilliseconds) {
        this.partitionCacheMilliseconds = partitionCacheMilliseconds;
    }

    public String getMaxBlockingMilliseconds() {
        return maxBlockingMilliseconds;
    }

    public void setMaxBlockingMilliseconds(String maxBlockingMilliseconds) {
        this.maxBlockingMilliseconds = maxBlockingMilliseconds;
    }

    public String getMaxDatagramBytes() {
        return maxDatagramBytes;
    }

    public void setMaxDatagramBytes(String maxDatagramBytes) {
        this.maxDatagramBytes = maxDatagramBytes;
    }
}
