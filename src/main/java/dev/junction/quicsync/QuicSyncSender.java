package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.junction.observe.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of quic-sync, called by the sender route with each poll of records (camel-kafka batching):
 * groups them per source partition, drops what the filters say (excluded topics, the message filter, records that
 * came from the destination: loop prevention), posts each batch to the receiver until it is confirmed, and only
 * then commits the source offsets. While the link is down it keeps retrying the same batch with backoff; the
 * source cluster's log is the buffer.
 */
public class QuicSyncSender extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(QuicSyncSender.class);

    private CamelContext camelContext;
    private String remote;
    private String sourceBootstrap;
    private String sourceCluster;
    private String destinationCluster = "";
    private String compression = "zstd";
    private String excludeTopics = "";
    private String messageFilter = "";
    private String messageFilterLanguage = "simple";
    private long retryBackoffMs = 200;
    private long retryBackoffMaxMs = 10_000;
    private long linkDownHealthMs = 60_000;
    private long batchRetryMs = 240_000;

    private ProducerTemplate template;
    private Admin admin;
    private Pattern exclude;
    private Predicate filter;
    private BatchCodec.Compression codec;
    private volatile boolean stopping;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final AtomicLong failingSince = new AtomicLong();
    private Counter sent;
    private Counter wireBytes;
    private Counter rawBytes;
    private Counter reconnects;
    private Timer roundTrip;
    private QuicSyncLinkHealthCheck health;

    /** ServiceSupport makes start and stop idempotent: Camel starts a processor once per wrapper around it. */
    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sourceBootstrap));
        exclude = excludeTopics == null || excludeTopics.isBlank() ? null : Pattern.compile(excludeTopics);
        filter = messageFilter == null || messageFilter.isBlank() ? null
                : camelContext.resolveLanguage(messageFilterLanguage).createPredicate(messageFilter);
        codec = BatchCodec.Compression.of(compression);
        MeterRegistry registry = FlowMetrics.registry(camelContext);
        String ctx = camelContext.getName();
        sent = Counter.builder("junction.quicsync.sent.records").tag("camelContext", ctx).register(registry);
        wireBytes = Counter.builder("junction.quicsync.wire.bytes").tag("camelContext", ctx).register(registry);
        rawBytes = Counter.builder("junction.quicsync.raw.bytes").tag("camelContext", ctx).register(registry);
        reconnects = Counter.builder("junction.quicsync.retries").tag("camelContext", ctx).register(registry);
        roundTrip = Timer.builder("junction.quicsync.batch.round.trip").tag("camelContext", ctx).register(registry);
        LOG.info("quic-sync sender {} -> {}: excluding topics /{}/, message filter [{}] ({}), compression {}",
                sourceCluster, destinationCluster, excludeTopics, messageFilter, messageFilterLanguage, codec);
        health = new QuicSyncLinkHealthCheck(failingSince, linkDownHealthMs);
        HealthCheckRegistry.get(camelContext).register(health);
    }

    /** Mirrors one poll of records (the body: camel-kafka's list of exchanges), then commits their offsets. */
    @Override
    public void process(Exchange poll) throws Exception {
        @SuppressWarnings("unchecked")
        List<Exchange> records = poll.getMessage().getBody(List.class);
        Map<String, List<Exchange>> byPartition = new LinkedHashMap<>();
        for (Exchange r : records) {
            String tp = r.getMessage().getHeader(KafkaConstants.TOPIC, String.class) + "\u0000"
                    + r.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            byPartition.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
        }
        for (List<Exchange> group : byPartition.values()) {
            Exchange first = group.get(0);
            String topic = first.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
            int partition = first.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            if (exclude == null || !exclude.matcher(topic).matches()) {
                List<MirrorRecord> kept = new ArrayList<>(group.size());
                for (Exchange r : group) {
                    if (!cameFromDestination(r) && (filter == null || filter.matches(r))) {
                        kept.add(toMirrorRecord(r));
                    }
                }
                if (!kept.isEmpty()) {
                    post(topic, new RecordBatch(partition, partitionCount(topic), kept));
                }
            }
            commit(group.get(group.size() - 1));
        }
    }

    private boolean cameFromDestination(Exchange r) {
        Headers headers = r.getMessage().getHeader(KafkaConstants.HEADERS, Headers.class);
        if (headers == null || destinationCluster.isBlank()) {
            return false;
        }
        var origin = headers.lastHeader(QuicSyncReceiver.ORIGIN_HEADER);
        return origin != null && destinationCluster.equals(new String(origin.value(), StandardCharsets.UTF_8));
    }

    private static MirrorRecord toMirrorRecord(Exchange r) {
        var m = r.getMessage();
        List<MirrorRecord.Header> headers = new ArrayList<>();
        Headers kafkaHeaders = m.getHeader(KafkaConstants.HEADERS, Headers.class);
        if (kafkaHeaders != null) {
            kafkaHeaders.forEach(h -> headers.add(new MirrorRecord.Header(h.key(), h.value())));
        }
        return new MirrorRecord(m.getHeader(KafkaConstants.OFFSET, Long.class), m.getHeader(KafkaConstants.TIMESTAMP, Long.class),
                m.getHeader(KafkaConstants.KEY, byte[].class), m.getBody(byte[].class), headers);
    }

    /** Posts until the receiver confirms. A 413 splits the batch; other failures wait and try again. */
    private void post(String topic, RecordBatch batch) throws InterruptedException {
        byte[] body = BatchCodec.encode(batch, codec);
        long backoff = retryBackoffMs;
        long giveUpAt = System.currentTimeMillis() + batchRetryMs;
        while (true) {
            if (stopping || camelContext.getStatus().isStopping() || System.currentTimeMillis() > giveUpAt) {
                // Not committed: the consumer polls these records again from the committed offsets.
                throw new IllegalStateException("quic-sync batch of " + topic + "/" + batch.partition() + " not confirmed "
                        + (stopping ? "before the sender stopped" : "within " + batchRetryMs + " ms") + "; it is sent again");
            }
            long t0 = System.nanoTime();
            Exchange reply = template.request(remote, e -> {
                e.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/topics/" + topic + "/records");
                e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/vnd.junction.quic-sync-batch");
                e.getMessage().setHeader(QuicSyncReceiver.SOURCE_CLUSTER_HEADER, sourceCluster);
                e.getMessage().setBody(body);
            });
            int status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (reply.getException() == null && status >= 200 && status < 300) {
                roundTrip.record(Duration.ofNanos(System.nanoTime() - t0));
                sent.increment(batch.records().size());
                wireBytes.increment(body.length);
                rawBytes.increment(approximateRawBytes(batch));
                failingSince.set(0);
                return;
            }
            if (status == 413 && batch.records().size() > 1) {
                int half = batch.records().size() / 2;
                post(topic, new RecordBatch(batch.partition(), batch.partitionCount(), batch.records().subList(0, half)));
                post(topic, new RecordBatch(batch.partition(), batch.partitionCount(), batch.records().subList(half, batch.records().size())));
                return;
            }
            failingSince.compareAndSet(0, System.currentTimeMillis());
            reconnects.increment();
            LOG.warn("quic-sync batch {}/{} (offsets {}..{}) not confirmed ({}); retrying in {} ms", topic, batch.partition(),
                    batch.records().get(0).offset(), batch.lastOffset(),
                    reply.getException() != null ? reply.getException().getMessage() : "status " + status, backoff);
            Thread.sleep(backoff);
            backoff = Math.min(retryBackoffMaxMs, backoff * 2);
        }
    }

    private static long approximateRawBytes(RecordBatch batch) {
        long n = 0;
        for (MirrorRecord r : batch.records()) {
            n += 24 + (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        }
        return n;
    }

    private static void commit(Exchange last) {
        KafkaManualCommit commit = last.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    private int partitionCount(String topic) throws Exception {
        Integer n = partitionCounts.get(topic);
        if (n == null) {
            n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            partitionCounts.put(topic, n);
        }
        return n;
    }

    @Override
    protected void doStop() {
        stopping = true;
        if (health != null) {
            HealthCheckRegistry.get(camelContext).unregister(health);
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public void setRemote(String remote) { this.remote = remote; }
    public void setSourceBootstrap(String sourceBootstrap) { this.sourceBootstrap = sourceBootstrap; }
    public void setSourceCluster(String sourceCluster) { this.sourceCluster = sourceCluster; }
    public void setDestinationCluster(String destinationCluster) { this.destinationCluster = destinationCluster == null ? "" : destinationCluster; }
    public void setCompression(String compression) { this.compression = compression; }
    public void setExcludeTopics(String excludeTopics) { this.excludeTopics = excludeTopics; }
    public void setMessageFilter(String messageFilter) { this.messageFilter = messageFilter; }
    public void setMessageFilterLanguage(String messageFilterLanguage) { this.messageFilterLanguage = messageFilterLanguage; }
    public void setRetryBackoffMs(long retryBackoffMs) { this.retryBackoffMs = retryBackoffMs; }
    public void setRetryBackoffMaxMs(long retryBackoffMaxMs) { this.retryBackoffMaxMs = retryBackoffMaxMs; }
    public void setLinkDownHealthMs(long linkDownHealthMs) { this.linkDownHealthMs = linkDownHealthMs; }
    public void setBatchRetryMs(long batchRetryMs) { this.batchRetryMs = batchRetryMs; }
}
