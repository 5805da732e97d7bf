package dev.junction.fanout;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of a {@code fanout:ID} endpoint. Component-level values ({@code camel.component.fanout.*}) are the
 * defaults; URI parameters override them. The server options (host, port, timeouts, token) belong to the daemon
 * {@code ID}: the first endpoint of that id to start sets them.
 */
@UriParams
@Configurer
public class FanoutConfiguration implements Cloneable {

    @UriPath(description = "The daemon's id: daemons with the same id form one cluster with one leader") @Metadata(required = true)
    private String id;
    @UriParam(label = "consumer", description = "The Kafka topic whose records are fanned out")
    private String topic;
    @UriParam(label = "consumer", description = "Kafka bootstrap servers (several, comma separated)")
    private String brokers;
    @UriParam(label = "consumer", description = "Consumer group that keeps the offsets; default fanout_ID")
    private String groupId;
    @UriParam(label = "consumer", defaultValue = "10000", description = "Records handed to clients and not yet acknowledged, at most; consumption pauses above it")
    private int bufferSize = 10_000;
    @UriParam(label = "consumer", defaultValue = "32", description = "Records per exchange, at most: the records of one poll go out in exchanges of this many (the load balancer picks a group per exchange)")
    private int batchSize = 32;
    @UriParam(label = "consumer", defaultValue = "false", description = "A key is never at two clients at once, and its records go out in offset order")
    private boolean orderByKey;
    @UriParam(label = "consumer", defaultValue = "1000", description = "How often acknowledged offsets are committed, in milliseconds")
    private long commitIntervalMs = 1000;
    @UriParam(label = "consumer", defaultValue = "1000", description = "How often the leader writes its heartbeat to fanout_ID_TOPIC, in milliseconds")
    private long leaderHeartbeatMs = 1000;
    @UriParam(label = "consumer", defaultValue = "6000", description = "Kafka session timeout of the leader election and of the consumer group: a dead leader is replaced after about this long")
    private int sessionTimeoutMs = 6000;
    @UriParam(label = "producer", description = "Deliver to the clients of this group label (canary, say); none connected: to any client. Empty: any client")
    private String group;
    @UriParam(label = "common", defaultValue = "0.0.0.0", description = "Address the client server listens on")
    private String host = "0.0.0.0";
    @UriParam(label = "common", defaultValue = "9400", description = "TCP port of the client server (0: a free port)")
    private int port = 9400;
    @UriParam(label = "common", description = "host:port clients are redirected to when this daemon leads; default this host's name and the port")
    private String advertisedAddress;
    @UriParam(label = "common", defaultValue = "5000", description = "How long a client has to acknowledge a record before it goes to another client, in milliseconds")
    private int ackTimeoutMs = 5000;
    @UriParam(label = "common", defaultValue = "4", description = "Deliveries after the first, each to a client that has not had the record when there is one, before its exchange fails (the route's error handler then dead-letters it)")
    private int maxRedeliveries = 4;
    @UriParam(label = "common", defaultValue = "2000", description = "Heartbeat interval of client connections, in milliseconds; silent for 3 intervals: closed")
    private int heartbeatMs = 2000;
    @UriParam(label = "common", defaultValue = "65536", description = "Largest frame a client may send, in bytes")
    private int maxClientFrameBytes = 65_536;
    @UriParam(label = "common", defaultValue = "1000", description = "Largest max-in-flight a client may ask for")
    private int maxClientInFlight = 1000;
    @UriParam(label = "security", secret = true, description = "Token a client must present in its HELLO; empty: none needed")
    private String token;
    @UriParam(label = "security", description = "PEM certificate (chain) of the client server; with tlsKeyFile, clients connect over TLS. Empty: plain TCP")
    private String tlsCertFile;
    @UriParam(label = "security", description = "PEM private key (PKCS#8 or PKCS#1) of tlsCertFile")
    private String tlsKeyFile;

    public FanoutConfiguration copy() {
        try {
            return (FanoutConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String effectiveGroupId() {
        return groupId == null || groupId.isBlank() ? "fanout_" + id : groupId;
    }

    /** The single-partition topic where the daemons of this id elect their leader and the leader heartbeats. */
    public String electionTopic() {
        return "fanout_" + id + "_" + topic;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public boolean isOrderByKey() {
        return orderByKey;
    }

    public void setOrderByKey(boolean orderByKey) {
        this.orderByKey = orderByKey;
    }

    public long getCommitIntervalMs() {
        return commitIntervalMs;
    }

    public void setCommitIntervalMs(long commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
    }

    public long getLeaderHeartbeatMs() {
        return leaderHeartbeatMs;
    }

    public void setLeaderHeartbeatMs(long leaderHeartbeatMs) {
        this.leaderHeartbeatMs = leaderHeartbeatMs;
    }

    public int getSessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public void setSessionTimeoutMs(int sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getAdvertisedAddress() {
        return advertisedAddress;
    }

    public void setAdvertisedAddress(String advertisedAddress) {
        this.advertisedAddress = advertisedAddress;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxRedeliveries() {
        return maxRedeliveries;
    }

    public void setMaxRedeliveries(int maxRedeliveries) {
        this.maxRedeliveries = maxRedeliveries;
    }

    public int getAckTimeoutMs() {
        return ackTimeoutMs;
    }

    public void setAckTimeoutMs(int ackTimeoutMs) {
        this.ackTimeoutMs = ackTimeoutMs;
    }

    public int getHeartbeatMs() {
        return heartbeatMs;
    }

    public void setHeartbeatMs(int heartbeatMs) {
        this.heartbeatMs = heartbeatMs;
    }

    public int getMaxClientFrameBytes() {
        return maxClientFrameBytes;
    }

    public void setMaxClientFrameBytes(int maxClientFrameBytes) {
        this.maxClientFrameBytes = maxClientFrameBytes;
    }

    public int getMaxClientInFlight() {
        return maxClientInFlight;
    }

    public void setMaxClientInFlight(int maxClientInFlight) {
        this.maxClientInFlight = maxClientInFlight;
    }

    public String getTlsCertFile() {
        return tlsCertFile;
    }

    public void setTlsCertFile(String tlsCertFile) {
        this.tlsCertFile = tlsCertFile;
    }

    public String getTlsKeyFile() {
        return tlsKeyFile;
    }

    public void setTlsKeyFile(String tlsKeyFile) {
        this.tlsKeyFile = tlsKeyFile;
    }

    boolean isTls() {
        return tlsCertFile != null && !tlsCertFile.isBlank();
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }
}
