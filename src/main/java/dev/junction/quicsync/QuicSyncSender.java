package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.junction.observe.ConsumerGroupLag;
import dev.junction.observe.FlowMetrics;
import dev.junction.support.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of quic-sync, called by the sender route with each poll of records (camel-kafka batching):
 * groups them per source partition, keeps those that follow where the partition stands ({@link PartitionCursors},
 * which start at what the receiver applied), drops what the filters say (excluded topics, the message filter,
 * records that came from the destination: loop prevention) and posts them in batches to the receiver, several at
 * once over several QUIC connections ({@link BatchPoster}, {@link InFlightBatches}); a source offset is committed
 * only once the receiver confirmed everything up to it. While the link is down each batch is retried with backoff;
 * the source cluster's log is the buffer.
 */
public class QuicSyncSender extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(QuicSyncSender.class);
    /** Unconfirmed batches per connection to start with (LinkWindow grows the window with the link). */
    private static final int BATCHES_PER_CONNECTION = 4;
    /** Records of one request at most, however long the link (LinkWindow also caps its bytes). */
    private static final int MAX_REQUEST_RECORDS = 50_000;

    private CamelContext camelContext;
    private String remote;
    private String sourceBootstrap;
    private String sourceKafkaCluster = KafkaCluster.DEFAULT;
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
    private long requestTimeoutMs = 30_000;
    private long minRequestTimeoutMs = 500;
    private int connections = 4;
    private int requestRecords = 2500;
    private int batchRecords = 20_000;
    private String group = "junction-quic-sync";
    private long lagRefreshMs = 5_000;
    private long topicSettingsRefreshMs = 600_000;

    private ProducerTemplate template;
    private SourceTopics sourceTopics;
    private Pattern exclude;
    private Predicate filter;
    private BatchCodec.Compression codec;
    private volatile boolean stopping;
    private volatile boolean abandoning;
    private InFlightBatches inFlight;
    private PartitionCursors cursors;
    private SourceGapProbe gapProbe;
    private CursorStart cursorStart;
    private Consumer<?, ?> lastConsumer;
    private int lastGeneration;
    private int nextConnection;
    private final AtomicLong failingSince = new AtomicLong();
    private Counter readAgains;
    private BatchPoster poster;
    private ExecutorService posters;
    private ScheduledExecutorService lagRefresher;
    private ConsumerGroupLag lagProbe;
    private final Map<TopicPartition, AtomicLong> replicationLag = new ConcurrentHashMap<>();
    private AdaptiveTimeout timeout;
    private LinkWindow linkWindow;
    private QuicSyncLinkHealthCheck health;

    /** ServiceSupport makes start and stop idempotent: Camel starts a processor once per wrapper around it. */
    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
        KafkaCluster source = KafkaCluster.of(sourceKafkaCluster, sourceBootstrap, camelContext);
        sourceTopics = new SourceTopics(source, topicSettingsRefreshMs);
        exclude = excludeTopics == null || excludeTopics.isBlank() ? null : Pattern.compile(excludeTopics);
        filter = messageFilter == null || messageFilter.isBlank() ? null
                : camelContext.resolveLanguage(messageFilterLanguage).createPredicate(messageFilter);
        codec = BatchCodec.Compression.of(compression);
        MeterRegistry registry = FlowMetrics.registry(camelContext);
        String ctx = camelContext.getName();
        readAgains = Counter.builder("junction.quicsync.source.read.again").tag("camelContext", ctx)
                .description("times the source consumer skipped records and a partition was read again").register(registry);
        // Four requests per connection to start with; more as the link's bandwidth x round trip asks (LinkWindow).
        int startWindow = connections * BATCHES_PER_CONNECTION;
        linkWindow = new LinkWindow(startWindow, requestRecords, MAX_REQUEST_RECORDS);
        posters = camelContext.getExecutorServiceManager().newFixedThreadPool(this, "quic-sync-sender",
                Math.max(startWindow, LinkWindow.MAX_REQUESTS));
        inFlight = new InFlightBatches(() -> linkWindow.requestsInFlight(System.currentTimeMillis()));
        timeout = new AdaptiveTimeout(minRequestTimeoutMs, requestTimeoutMs);
        gapProbe = new SourceGapProbe(source, Duration.ofSeconds(30));
        cursors = new PartitionCursors(gapProbe);
        FunctionCounter.builder("junction.quicsync.source.gap.checks", gapProbe, SourceGapProbe::checks).tag("camelContext", ctx)
                .description("jumps in source offsets looked into (transaction markers are normal ones)").register(registry);
        FunctionCounter.builder("junction.quicsync.source.deleted.offsets", gapProbe, SourceGapProbe::deleted).tag("camelContext", ctx)
                .description("source offsets deleted (retention) before they were mirrored").register(registry);
        cursorStart = new CursorStart(cursors, new ReceiverOffsets(template, remote, sourceCluster, timeout, retryBackoffMaxMs,
                failingSince, this::isStoppingNow));
        poster = new BatchPoster(template, remote, sourceCluster, codec, timeout, linkWindow, retryBackoffMs, retryBackoffMaxMs, batchRetryMs,
                failingSince, this::isStoppingNow, () -> abandoning, registry, ctx);
        Gauge.builder("junction.quicsync.window.requests", linkWindow, w -> w.requestsInFlight(System.currentTimeMillis()))
                .tag("camelContext", ctx).description("requests the sender keeps unconfirmed (follows the link's bandwidth x round trip)")
                .register(registry);
        Gauge.builder("junction.quicsync.window.request.records", linkWindow, w -> w.requestRecords(System.currentTimeMillis()))
                .tag("camelContext", ctx).description("records per request (follows the link's bandwidth x round trip)")
                .register(registry);
        LOG.info("quic-sync sender {} -> {}: excluding topics /{}/, message filter [{}] ({}), compression {}",
                sourceCluster, destinationCluster, excludeTopics, messageFilter, messageFilterLanguage, codec);
        lagProbe = new ConsumerGroupLag(source);
        lagRefresher = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "quic-sync-lag");
        lagRefresher.scheduleWithFixedDelay(this::refreshLag, 0, lagRefreshMs, TimeUnit.MILLISECONDS);
        health = new QuicSyncLinkHealthCheck(failingSince, linkDownHealthMs);
        HealthCheckRegistry.get(camelContext).register(health);
    }

    /**
     * Replication lag per source partition: records in the source log not yet confirmed by the receiver (the sender
     * commits only confirmed offsets, so this is the group's lag), as gauge junction.quicsync.replication.lag.
     */
    private void refreshLag() {
        Map<TopicPartition, Long> lag = lagProbe.lagByPartition(group);
        if (lag == null) {
            return; // the source cluster did not answer: the gauges keep their last value
        }
        lag.forEach((tp, records) -> replicationLag.computeIfAbsent(tp, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("junction.quicsync.replication.lag", value, AtomicLong::get)
                    .tag("camelContext", camelContext.getName()).tag("topic", key.topic())
                    .tag("partition", String.valueOf(key.partition())).baseUnit("records")
                    .register(FlowMetrics.registry(camelContext));
            return value;
        }).set(records));
    }

    /**
     * Mirrors one poll of records (the body: camel-kafka's list of exchanges): each partition's records that follow
     * its cursor, filtered, go out in requests of at most requestRecords, spread over the QUIC connections and sent
     * in parallel (several of one partition too: the receiver applies them in order). Offsets are committed as
     * batches are confirmed.
     */
    @Override
    public void process(Exchange poll) throws Exception {
        @SuppressWarnings("unchecked")
        List<Exchange> records = poll.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        // Every batch of this poll is confirmed or given up by then; the consumer thread waits for room at most as
        // long for batches of the poll before: well within the consumer's max.poll.interval.
        long giveUpAt = System.currentTimeMillis() + batchRetryMs;
        Consumer<?, ?> consumer = sourceConsumer(records.get(0));
        boolean regrouped = regrouped(consumer);
        if (regrouped) {
            // Partitions may have been read elsewhere meanwhile: settle the batches read before, then start again
            // from what the receiver applied.
            inFlight.awaitAll();
            if (!commitConfirmedOrFail(consumer)) {
                return;
            }
            cursors.clear();
        }
        Map<TopicPartition, List<Exchange>> byPartition = new LinkedHashMap<>();
        for (Exchange r : records) {
            TopicPartition tp = new TopicPartition(r.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                    r.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class));
            byPartition.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
        }
        if (!cursorStart.startUnknown(consumer, byPartition.keySet(), giveUpAt)) {
            return; // stopping: nothing of this poll is committed, it is read again at the next start
        }
        Map<TopicPartition, List<Exchange>> admitted = new LinkedHashMap<>();
        byPartition.forEach((tp, read) -> {
            PartitionCursors.Admitted a = cursors.admit(tp, read, regrouped);
            if (a.readAgainFrom() != null) {
                readAgain(consumer, tp, cursors.last(tp), a.readAgainFrom());
            }
            admitted.put(tp, a.records());
        });
        for (Map.Entry<TopicPartition, List<Exchange>> entry : admitted.entrySet()) {
            TopicPartition tp = entry.getKey();
            if (!send(consumer, tp, entry.getValue(), giveUpAt)) {
                return;
            }
            inFlight.skipped(tp, cursors.last(tp)); // records dropped as read again are covered too
        }
        // A full poll returns at once: the next one is read while these batches travel. A poll that is not full
        // means the consumer has caught up and the topic may go quiet; Camel calls this only when records arrive,
        // so such a poll's batches are confirmed and committed now rather than left uncommitted while it is quiet.
        if (records.size() < batchRecords) {
            inFlight.awaitAll();
        }
        commitConfirmedOrFail(consumer);
    }

    /**
     * Sends one partition's records of a poll in slices of the link window's request size; what the filters drop is skipped.
     * Returns false when the sender stopped meanwhile.
     */
    private boolean send(Consumer<?, ?> consumer, TopicPartition tp, List<Exchange> records, long giveUpAt) throws Exception {
        boolean excluded = exclude != null && exclude.matcher(tp.topic()).matches();
        int sliceRecords = linkWindow.requestRecords(System.currentTimeMillis());
        for (int from = 0; from < records.size(); from += sliceRecords) {
            List<Exchange> slice = records.subList(from, Math.min(records.size(), from + sliceRecords));
            long through = offset(slice.get(slice.size() - 1));
            List<MirrorRecord> kept = excluded ? List.of() : kept(slice);
            if (kept.isEmpty()) {
                inFlight.skipped(tp, through);
                continue;
            }
            RecordBatch batch = new RecordBatch(sourceTopics.partitionCount(tp), List.of(new RecordBatch.PartitionRecords(
                    tp.partition(), cursors.after(tp), through, kept)));
            cursors.sent(tp, through);
            inFlight.awaitRoom();
            if (!commitConfirmedOrFail(consumer)) {
                return false;
            }
            int connection = Math.floorMod(nextConnection++, connections);
            String settings = sourceTopics.settings(tp.topic());
            inFlight.sent(tp, through, posters.submit(() -> {
                poster.post(tp.topic(), batch, settings, connection, giveUpAt);
                return null;
            }));
        }
        return true;
    }

    /** The source cluster's consumer that read this record (camel-kafka hands it out with the manual commit). */
    private static Consumer<?, ?> sourceConsumer(Exchange record) {
        Object commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (commit instanceof DefaultKafkaManualCommit manual) {
            return manual.getCamelExchangePayload().consumer;
        }
        throw new IllegalStateException("quic-sync sender needs the kafka endpoint's allowManualCommit=true");
    }

    /** Whether the group rebalanced, or camel-kafka made a new consumer, since the last poll. */
    private boolean regrouped(Consumer<?, ?> consumer) {
        int generation = consumer.groupMetadata().generationId();
        boolean changed = consumer != lastConsumer || generation != lastGeneration;
        lastConsumer = consumer;
        lastGeneration = generation;
        return changed;
    }

    /**
     * The consumer jumped over committed records of the partition (camel-kafka lost records it held): it reads the
     * partition again from the first of them. What it still holds past them is dropped when it comes.
     */
    private void readAgain(Consumer<?, ?> consumer, TopicPartition tp, long last, long from) {
        LOG.warn("quic-sync: the source consumer skipped records of {} after offset {}; reading it again from {}", tp, last, from);
        readAgains.increment();
        try {
            consumer.seek(tp, from);
        } catch (IllegalStateException notAssignedAnyMore) {
            LOG.debug("quic-sync: {} moved to another consumer; it reads from the committed offset", tp);
        }
    }

    /**
     * Commits what is confirmed. When a batch failed for good: waits for the rest, commits what they confirmed and
     * fails the exchange, so that camel-kafka reads again from the committed offsets; or, when the sender is
     * stopping (which fails the batches on purpose), returns false.
     */
    private boolean commitConfirmedOrFail(Consumer<?, ?> consumer) throws Exception {
        Map<TopicPartition, Long> confirmed = new HashMap<>();
        Exception failure = inFlight.takeConfirmed(confirmed);
        if (failure != null) {
            abandoning = true; // batches still retrying give up: they are read and sent again
            try {
                inFlight.awaitAll();
                inFlight.takeConfirmed(confirmed);
            } finally {
                inFlight.clear();
                cursors.clear();
                abandoning = false;
            }
            commit(consumer, confirmed);
            if (isStoppingNow()) {
                // Not an error: what was not confirmed is not committed, and is read again at the next start.
                LOG.info("quic-sync sender stopped with batches unconfirmed; they are sent again at the next start");
                return false;
            }
            throw failure;
        }
        commit(consumer, confirmed);
        return true;
    }

    /** Commits, per partition, the offset after the last one confirmed (or read again, or filtered out). */
    private static void commit(Consumer<?, ?> consumer, Map<TopicPartition, Long> lastConfirmed) {
        if (lastConfirmed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lastConfirmed.forEach((tp, last) -> offsets.put(tp, new OffsetAndMetadata(last + 1)));
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            // A partition moved to another consumer meanwhile: it starts from the last committed offset, and the
            // receiver skips what it already applied.
            LOG.debug("quic-sync could not commit {}: {}", offsets, e.toString());
        }
    }

    private List<MirrorRecord> kept(List<Exchange> slice) {
        List<MirrorRecord> kept = new ArrayList<>(slice.size());
        for (Exchange r : slice) {
            if (!cameFromDestination(r) && (filter == null || filter.matches(r))) {
                kept.add(toMirrorRecord(r));
            }
        }
        return kept;
    }

    private static long offset(Exchange r) {
        return r.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
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

    private boolean isStoppingNow() {
        return stopping || camelContext.getStatus().isStopping();
    }

    @Override
    protected void doStop() {
        stopping = true;
        if (health != null) {
            HealthCheckRegistry.get(camelContext).unregister(health);
        }
        if (sourceTopics != null) {
            sourceTopics.close();
        }
        if (lagRefresher != null) {
            camelContext.getExecutorServiceManager().shutdown(lagRefresher);
        }
        if (lagProbe != null) {
            lagProbe.close();
        }
        if (posters != null) {
            camelContext.getExecutorServiceManager().shutdown(posters);
        }
        if (gapProbe != null) {
            gapProbe.close();
        }
    }

    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public void setRemote(String remote) { this.remote = remote; }
    public void setSourceBootstrap(String sourceBootstrap) { this.sourceBootstrap = sourceBootstrap; }
    /** Whose client settings the source's clients take: {@code quic-sync.source} reads {@code quic-sync.source.client.*}. */
    public void setSourceKafkaCluster(String sourceKafkaCluster) { this.sourceKafkaCluster = sourceKafkaCluster; }
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
    public void setRequestTimeoutMs(long requestTimeoutMs) { this.requestTimeoutMs = requestTimeoutMs; }
    public void setMinRequestTimeoutMs(long minRequestTimeoutMs) { this.minRequestTimeoutMs = minRequestTimeoutMs; }
    public void setConnections(int connections) { this.connections = Math.max(1, connections); }
    public void setRequestRecords(int requestRecords) { this.requestRecords = Math.max(1, requestRecords); }
    public void setBatchRecords(int batchRecords) { this.batchRecords = Math.max(1, batchRecords); }
    public void setGroup(String group) { this.group = group; }
    public void setLagRefreshMs(long lagRefreshMs) { this.lagRefreshMs = lagRefreshMs; }
    public void setTopicSettingsRefreshMs(long topicSettingsRefreshMs) { this.topicSettingsRefreshMs = topicSettingsRefreshMs; }
}
