package dev.junction.quicsync;

import dev.junction.quic.QuicConfiguration;
import dev.junction.support.KafkaCluster;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of a {@code quic-sync:host:port} endpoint: the sender that reads the source cluster and posts its records
 * to the quic-sync receiver at host:port. Component-level values ({@code camel.component.quic-sync.*}) are the
 * defaults; URI parameters override them. Each value is set once: the Kafka consumer and the QUIC client the sender
 * owns are both built from it.
 */
@UriParams
@Configurer
public class QuicSyncConfiguration implements Cloneable {

    @UriPath(description = "The receiver's DNS name, which must be in its certificate") @Metadata(required = true)
    private String host;
    @UriPath(defaultValue = "8443", description = "The receiver's UDP port")
    private int port = 8443;

    @UriParam(label = "consumer", description = "Source Kafka bootstrap servers") @Metadata(required = true)
    private String brokers;
    @UriParam(label = "consumer", defaultValue = KafkaCluster.DEFAULT, description = "Whose client settings the source's"
            + " clients take: quic-sync.source reads kafka.client.* and then quic-sync.source.client.*")
    private String kafkaCluster = KafkaCluster.DEFAULT;
    @UriParam(label = "consumer", defaultValue = ".*", description = "Source topics to mirror (regular expression); new"
            + " topics that match are found within topicDiscoveryMs")
    private String topics = ".*";
    @UriParam(label = "consumer", description = "Topics never mirrored (regular expression), even when topics matches")
    private String excludeTopics;
    @UriParam(label = "consumer", description = "Only records for which this predicate is true are mirrored (any Camel"
            + " language, see messageFilterLanguage). It sees the record as camel-kafka hands it on: the value as body,"
            + " headers kafka.KEY, kafka.TOPIC, kafka.PARTITION, kafka.OFFSET, kafka.TIMESTAMP and the record's own headers")
    private String messageFilter;
    @UriParam(label = "consumer", defaultValue = "simple", description = "Language of messageFilter")
    private String messageFilterLanguage = "simple";
    @UriParam(label = "consumer", description = "Name of the source cluster, sent with each batch: the receiver keeps its"
            + " applied offsets per source") @Metadata(required = true)
    private String sourceCluster;
    @UriParam(label = "consumer", description = "Name of the destination cluster: records that came from it (header"
            + " junction.mirror.origin) are never sent back. Empty: none are held back")
    private String destinationCluster;
    @UriParam(label = "consumer", defaultValue = "junction-quic-sync", description = "Consumer group of the sender: replicas"
            + " in one group split the partitions; its lag is the replication lag")
    private String groupId = "junction-quic-sync";
    @UriParam(label = "consumer", defaultValue = "10000", description = "Kafka session timeout: a dead sender's partitions"
            + " go to another replica after about this long, in milliseconds")
    private int sessionTimeoutMs = 10_000;
    @UriParam(label = "consumer", defaultValue = "30000", description = "How often the source's topics are listed again for"
            + " new ones that match, in milliseconds (the consumer's metadata.max.age.ms)")
    private long topicDiscoveryMs = 30_000;
    @UriParam(label = "consumer", defaultValue = "20000", description = "Records of one poll at most (max.poll.records)")
    private int batchRecords = 20_000;
    @UriParam(label = "consumer", defaultValue = "4194304", description = "Bytes fetched per partition at most"
            + " (max.partition.fetch.bytes): large fetches fill large polls")
    private int fetchPartitionBytes = 4 * 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "zstd", enums = "none,lz4,zstd", description = "Compression of each request body")
    private String compression = "zstd";
    @UriParam(label = "consumer", defaultValue = "5000", description = "Records of one request at least; requests grow"
            + " with the link's measured bandwidth x round trip")
    private int requestRecords = 5000;
    @UriParam(label = "consumer", defaultValue = "240000", description = "How long one batch is retried before the"
            + " sender gives up on it and reads its partition again from what the receiver applied, in milliseconds")
    private long batchRetryMs = 240_000;
    @UriParam(label = "consumer,advanced", defaultValue = "200", description = "First wait before a refused batch is sent again, in milliseconds")
    private long retryBackoffMs = 200;
    @UriParam(label = "consumer,advanced", defaultValue = "10000", description = "Longest wait before a batch is sent again, in milliseconds")
    private long retryBackoffMaxMs = 10_000;
    @UriParam(label = "consumer", defaultValue = "60000", description = "The readiness check quic-sync-link is DOWN once the"
            + " receiver has not answered for this long, in milliseconds")
    private long linkDownHealthMs = 60_000;
    @UriParam(label = "consumer", defaultValue = "600000", description = "How often a source topic's own settings are read"
            + " again; a change is set on the destination topic, in milliseconds")
    private long topicSettingsRefreshMs = 600_000;
    @UriParam(label = "consumer,advanced", defaultValue = "5000", description = "How often the replication lag gauges are refreshed, in milliseconds")
    private long lagRefreshMs = 5_000;

    @UriParam(label = "security", secret = true, description = "Bearer token the receiver asks for")
    private String token;
    @UriParam(label = "security", description = "PEM certificate(s) the sender trusts: the receiver's own (pinned) or its"
            + " CA. Empty: the JVM's trust store")
    private String trustCertFile;
    @UriParam(label = "security", description = "PEM certificate chain the sender presents (mutual TLS, native transport)")
    private String clientCertFile;
    @UriParam(label = "security", description = "PEM private key of clientCertFile")
    private String clientKeyFile;
    @UriParam(defaultValue = "native", enums = "native,kwik", description = "The QUIC stack: native (Netty QUIC on quiche,"
            + " linux-x86_64) or kwik (pure Java)")
    private String transport = "native";
    @UriParam(label = "advanced", defaultValue = "bbr", enums = "bbr,cubic,reno", description = "Congestion control of the native transport")
    private String congestionControl = "bbr";
    @UriParam(defaultValue = "4", description = "QUIC connections the requests are spread over")
    private int connections = 4;
    @UriParam(defaultValue = "3000", description = "How long a QUIC handshake may take before another is tried, in milliseconds")
    private long connectTimeoutMs = 3_000;
    @UriParam(defaultValue = "300", description = "Seconds a silent connection stays open: it survives an outage of minutes")
    private int idleTimeoutSeconds = 300;
    @UriParam(defaultValue = "30000", description = "Longest wait for an answer, in milliseconds (the first request waits"
            + " that long; later ones 8 x the smoothed round trip, doubled per attempt)")
    private long requestTimeoutMs = 30_000;
    @UriParam(label = "advanced", defaultValue = "500", description = "Shortest wait for an answer, in milliseconds")
    private long minRequestTimeoutMs = 500;

    public QuicSyncConfiguration copy() {
        try {
            return (QuicSyncConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The options of the QUIC client the sender posts with, all taken from this one configuration. */
    QuicConfiguration quicClient(QuicConfiguration defaults) {
        QuicConfiguration c = defaults.copy();
        c.setHost(host);
        c.setPort(port);
        c.setToken(token);
        c.setTrustCertFile(trustCertFile);
        c.setClientCertFile(clientCertFile);
        c.setClientKeyFile(clientKeyFile);
        c.setTransport(transport);
        c.setCongestionControl(congestionControl);
        c.setConnections(connections);
        c.setConnectTimeoutMs(connectTimeoutMs);
        c.setIdleTimeoutSeconds(idleTimeoutSeconds);
        c.setRequestTimeoutMs(requestTimeoutMs);
        // The sender reads the status itself: a refusal is retried, not thrown.
        c.setThrowExceptionOnFailure(false);
        return c;
    }

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getBrokers() { return brokers; }
    public void setBrokers(String brokers) { this.brokers = brokers; }
    public String getKafkaCluster() { return kafkaCluster; }
    public void setKafkaCluster(String kafkaCluster) { this.kafkaCluster = kafkaCluster; }
    public String getTopics() { return topics; }
    public void setTopics(String topics) { this.topics = topics; }
    public String getExcludeTopics() { return excludeTopics; }
    public void setExcludeTopics(String excludeTopics) { this.excludeTopics = excludeTopics; }
    public String getMessageFilter() { return messageFilter; }
    public void setMessageFilter(String messageFilter) { this.messageFilter = messageFilter; }
    public String getMessageFilterLanguage() { return messageFilterLanguage; }
    public void setMessageFilterLanguage(String messageFilterLanguage) { this.messageFilterLanguage = messageFilterLanguage; }
    public String getSourceCluster() { return sourceCluster; }
    public void setSourceCluster(String sourceCluster) { this.sourceCluster = sourceCluster; }
    public String getDestinationCluster() { return destinationCluster; }
    public void setDestinationCluster(String destinationCluster) { this.destinationCluster = destinationCluster; }
    public String getGroupId() { return groupId; }
    public void setGroupId(String groupId) { this.groupId = groupId; }
    public int getSessionTimeoutMs() { return sessionTimeoutMs; }
    public void setSessionTimeoutMs(int sessionTimeoutMs) { this.sessionTimeoutMs = sessionTimeoutMs; }
    public long getTopicDiscoveryMs() { return topicDiscoveryMs; }
    public void setTopicDiscoveryMs(long topicDiscoveryMs) { this.topicDiscoveryMs = topicDiscoveryMs; }
    public int getBatchRecords() { return batchRecords; }
    public void setBatchRecords(int batchRecords) { this.batchRecords = Math.max(1, batchRecords); }
    public int getFetchPartitionBytes() { return fetchPartitionBytes; }
    public void setFetchPartitionBytes(int fetchPartitionBytes) { this.fetchPartitionBytes = fetchPartitionBytes; }
    public String getCompression() { return compression; }
    public void setCompression(String compression) { this.compression = compression; }
    public int getRequestRecords() { return requestRecords; }
    public void setRequestRecords(int requestRecords) { this.requestRecords = Math.max(1, requestRecords); }
    public long getBatchRetryMs() { return batchRetryMs; }
    public void setBatchRetryMs(long batchRetryMs) { this.batchRetryMs = batchRetryMs; }
    public long getRetryBackoffMs() { return retryBackoffMs; }
    public void setRetryBackoffMs(long retryBackoffMs) { this.retryBackoffMs = retryBackoffMs; }
    public long getRetryBackoffMaxMs() { return retryBackoffMaxMs; }
    public void setRetryBackoffMaxMs(long retryBackoffMaxMs) { this.retryBackoffMaxMs = retryBackoffMaxMs; }
    public long getLinkDownHealthMs() { return linkDownHealthMs; }
    public void setLinkDownHealthMs(long linkDownHealthMs) { this.linkDownHealthMs = linkDownHealthMs; }
    public long getTopicSettingsRefreshMs() { return topicSettingsRefreshMs; }
    public void setTopicSettingsRefreshMs(long topicSettingsRefreshMs) { this.topicSettingsRefreshMs = topicSettingsRefreshMs; }
    public long getLagRefreshMs() { return lagRefreshMs; }
    public void setLagRefreshMs(long lagRefreshMs) { this.lagRefreshMs = lagRefreshMs; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getTrustCertFile() { return trustCertFile; }
    public void setTrustCertFile(String trustCertFile) { this.trustCertFile = trustCertFile; }
    public String getClientCertFile() { return clientCertFile; }
    public void setClientCertFile(String clientCertFile) { this.clientCertFile = clientCertFile; }
    public String getClientKeyFile() { return clientKeyFile; }
    public void setClientKeyFile(String clientKeyFile) { this.clientKeyFile = clientKeyFile; }
    public String getTransport() { return transport; }
    public void setTransport(String transport) { this.transport = transport; }
    public String getCongestionControl() { return congestionControl; }
    public void setCongestionControl(String congestionControl) { this.congestionControl = congestionControl; }
    public int getConnections() { return connections; }
    public void setConnections(int connections) { this.connections = Math.max(1, connections); }
    public long getConnectTimeoutMs() { return connectTimeoutMs; }
    public void setConnectTimeoutMs(long connectTimeoutMs) { this.connectTimeoutMs = connectTimeoutMs; }
    public int getIdleTimeoutSeconds() { return idleTimeoutSeconds; }
    public void setIdleTimeoutSeconds(int idleTimeoutSeconds) { this.idleTimeoutSeconds = idleTimeoutSeconds; }
    public long getRequestTimeoutMs() { return requestTimeoutMs; }
    public void setRequestTimeoutMs(long requestTimeoutMs) { this.requestTimeoutMs = requestTimeoutMs; }
    public long getMinRequestTimeoutMs() { return minRequestTimeoutMs; }
    public void setMinRequestTimeoutMs(long minRequestTimeoutMs) { this.minRequestTimeoutMs = minRequestTimeoutMs; }
}
