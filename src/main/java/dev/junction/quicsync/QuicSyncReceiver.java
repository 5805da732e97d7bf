package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.junction.observe.FlowMetrics;
import dev.junction.support.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination side of quic-sync, behind a {@code quic:} server route:
 * <ul>
 *   <li>{@code POST /v1/topics/{topic}/records}: applies a batch exactly once: records older than the stored
 *       offset are skipped, the rest written with the new offset in one Kafka transaction;</li>
 *   <li>{@code GET /v1/topics/{topic}/offsets?source=CLUSTER}: the applied offsets, JSON;</li>
 *   <li>{@code GET /v1/health}: 200 while the destination cluster answers.</li>
 * </ul>
 * Bad input: 400 (malformed batch, missing source cluster), 403 (a topic no sender may write: {@link ReceiverTopicPolicy}),
 * 413 (too large), 404 (unknown path), 405; 409 when a batch's predecessor on its partition has not arrived in time
 * (the sender sends it again).
 */
public class QuicSyncReceiver extends ServiceSupport implements Processor, CamelContextAware {

    /** Header naming the cluster a mirrored record came from; the sender never sends a record back there. */
    public static final String ORIGIN_HEADER = "junction.mirror.origin";
    static final String SOURCE_CLUSTER_HEADER = "x-junction-source-cluster";
    private static final Logger LOG = LoggerFactory.getLogger(QuicSyncReceiver.class);
    private static final Pattern RECORDS = Pattern.compile("/v1/topics/([A-Za-z0-9._-]{1,249})/records");
    private static final Pattern OFFSETS = Pattern.compile("/v1/topics/([A-Za-z0-9._-]{1,249})/offsets");
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private CamelContext camelContext;
    private String bootstrap;
    private String kafkaCluster = KafkaCluster.DEFAULT;
    private String topicPrefix = "";
    private String offsetsTopic = "junction.quic-sync.offsets";
    private String transactionalId = "junction-quic-sync-receiver";
    private long maxBatchBytes = 64L * 1024 * 1024;
    private long waitForPredecessorMs = 10_000;
    private String denyTopics = "";
    private String flow = "quic-sync";

    private ReceiverTopicPolicy topicPolicy;
    private Admin admin;
    private MirrorOffsets offsets;
    private MirrorWriter writer;

    /** ServiceSupport makes start and stop idempotent: Camel starts a processor once per wrapper around it. */
    @Override
    protected void doStart() {
        topicPolicy = new ReceiverTopicPolicy(topicPrefix, offsetsTopic, denyTopics);
        KafkaCluster destination = KafkaCluster.of(kafkaCluster, bootstrap, camelContext);
        admin = Admin.create(destination.clientProperties());
        offsets = new MirrorOffsets(offsetsTopic);
        Counter written = FlowMetrics.records(camelContext, flow);
        // The writer's producer first: its initTransactions finishes what an earlier receiver with the same
        // transactional id left (a commit whose markers were not written yet would hide its offsets from the load).
        try {
            writer = new MirrorWriter(destination, topicPrefix, transactionalId, waitForPredecessorMs, offsets, admin,
                    written::increment);
            offsets.load(admin, destination);
        } catch (Exception e) {
            if (writer != null) {
                writer.close();
            }
            admin.close();
            // A refused login or an untrusted certificate: one line naming the cluster and the setting to fix.
            destination.userError(e).ifPresent(user -> {
                throw user;
            });
            throw new IllegalStateException("quic-sync receiver cannot read its offsets topic " + offsetsTopic
                    + " on " + bootstrap + ": " + e.getMessage(), e);
        }
        LOG.info("quic-sync receiver writing to {} (topic prefix '{}'), {} stored offsets", bootstrap, topicPrefix,
                offsets.snapshot().size());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "/", String.class);
        Matcher records = RECORDS.matcher(path);
        Matcher offsetsPath = OFFSETS.matcher(path);
        if (path.equals("/v1/health")) {
            respond(exchange, "GET".equals(method) ? 200 : 405, "{\"status\":\"UP\"}");
        } else if (records.matches()) {
            if (!"POST".equals(method)) {
                respond(exchange, 405, error("use POST"));
            } else if (!refused(exchange, records.group(1))) {
                applyBatch(exchange, records.group(1));
            }
        } else if (offsetsPath.matches()) {
            String source = query(exchange, "source");
            if (refused(exchange, offsetsPath.group(1))) {
                return;
            } else if (!"GET".equals(method)) {
                respond(exchange, 405, error("use GET"));
            } else if (source == null || !CLUSTER_ID.matcher(source).matches()) {
                respond(exchange, 400, error("query parameter source must name the source cluster ([A-Za-z0-9._-])"));
            } else {
                respond(exchange, 200, offsetsJson(source, offsetsPath.group(1)));
            }
        } else {
            respond(exchange, 404, error("no such resource: " + path));
        }
    }

    /** Answers 403 when no sender may use {@code topic}; nothing about it is read, created or written then. */
    private boolean refused(Exchange exchange, String topic) {
        Optional<String> refusal = topicPolicy.refusal(topic);
        refusal.ifPresent(reason -> respond(exchange, 403, error(reason)));
        return refusal.isPresent();
    }

    private void applyBatch(Exchange exchange, String topic) throws Exception {
        String source = exchange.getMessage().getHeader(SOURCE_CLUSTER_HEADER, String.class);
        if (source == null || !CLUSTER_ID.matcher(source).matches()) {
            respond(exchange, 400, error("header " + SOURCE_CLUSTER_HEADER + " must name the source cluster ([A-Za-z0-9._-])"));
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        RecordBatch batch;
        try {
            batch = BatchCodec.decode(body, maxBatchBytes);
        } catch (BadBatchException e) {
            respond(exchange, e.isTooLarge() ? 413 : 400, error(e.getMessage()));
            return;
        }
        Map<Integer, Long> applied;
        try {
            Map<String, String> settings = TopicSettings.decode(exchange.getMessage().getHeader(TopicSettings.HEADER, String.class));
            applied = writer.apply(source, topic, batch, settings, BatchCodec.rawLength(body));
        } catch (BadBatchException e) {
            respond(exchange, 400, error(e.getMessage()));
            return;
        } catch (PredecessorMissingException e) {
            respond(exchange, 409, error(e.getMessage()));
            return;
        }
        StringBuilder json = new StringBuilder("{\"applied\":{");
        applied.forEach((p, o) -> json.append('"').append(p).append("\":").append(o).append(','));
        json.setLength(json.length() - 1);
        respond(exchange, 200, json.append("}}").toString());
    }

    private String offsetsJson(String source, String topic) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        String prefix = source + "/" + topic + "/";
        offsets.snapshot().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                byPartition.put(Integer.parseInt(k.substring(prefix.length())), v);
            }
        });
        StringBuilder json = new StringBuilder("{\"source\":\"" + source + "\",\"topic\":\"" + topic + "\",\"applied\":{");
        byPartition.forEach((p, o) -> json.append('"').append(p).append("\":").append(o).append(','));
        if (!byPartition.isEmpty()) {
            json.setLength(json.length() - 1);
        }
        return json.append("}}").toString();
    }

    private static String query(Exchange exchange, String name) {
        String q = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class);
        for (String part : q.split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static String error(String message) {
        return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static void respond(Exchange exchange, int status, String json) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doStop() {
        if (writer != null) {
            writer.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public void setBootstrap(String bootstrap) { this.bootstrap = bootstrap; }
    /** Whose client settings the destination's clients take: {@code quic-sync.destination.client.*}, say. */
    public void setKafkaCluster(String kafkaCluster) { this.kafkaCluster = kafkaCluster; }
    public String getBootstrap() { return bootstrap; }
    public void setTopicPrefix(String topicPrefix) { this.topicPrefix = topicPrefix == null ? "" : topicPrefix; }
    public String getTopicPrefix() { return topicPrefix; }
    public void setOffsetsTopic(String offsetsTopic) { this.offsetsTopic = offsetsTopic; }
    public void setTransactionalId(String transactionalId) { this.transactionalId = transactionalId; }
    public void setMaxBatchBytes(long maxBatchBytes) { this.maxBatchBytes = maxBatchBytes; }
    public void setWaitForPredecessorMs(long waitForPredecessorMs) { this.waitForPredecessorMs = waitForPredecessorMs; }
    /** A regular expression of topics that senders may not write (besides {@code __*} and the offsets topic). */
    public void setDenyTopics(String denyTopics) { this.denyTopics = denyTopics == null ? "" : denyTopics; }
    public void setFlow(String flow) { this.flow = flow; }
}
