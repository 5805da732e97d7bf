package dev.junction.quicsync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.observe.ConsumerGroupLag;
import dev.junction.observe.FlowMetrics;
import dev.junction.quic.QuicComponent;
import dev.junction.quic.QuicEndpoint;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quic-sync sender: a {@link SenderTask} reads the source cluster with its own Kafka consumer and posts the
 * records over this consumer's own QUIC client, several requests at once as the link allows ({@link LinkWindow}).
 * Each batch the receiver confirmed is then routed as an exchange with an empty body and the batch's
 * {@link QuicSyncConstants} headers. Also kept here: the link's readiness check and the replication lag gauges.
 */
public class QuicSyncConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QuicSyncConsumer.class);
    /** Unconfirmed requests per connection to start with (LinkWindow grows the window with the link). */
    private static final int REQUESTS_PER_CONNECTION = 4;
    /** Records of one request at most, however long the link (LinkWindow also caps its bytes). */
    private static final int MAX_REQUEST_RECORDS = 50_000;
    /** A poll may wait for room in the window up to batchRetryMs; the group must not take that for a dead member. */
    private static final int MAX_POLL_INTERVAL_MS = 300_000;

    private final QuicSyncConfiguration config;
    private final AtomicLong failingSince = new AtomicLong();
    private final AtomicBoolean abandoning = new AtomicBoolean();
    private final Map<TopicPartition, AtomicLong> replicationLag = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private QuicEndpoint remote;
    private ProducerTemplate template;
    private SourceTopics sourceTopics;
    private ExecutorService posters;
    private ExecutorService taskThread;
    private SenderTask task;
    private ScheduledExecutorService lagRefresher;
    private ConsumerGroupLag lagProbe;
    private QuicSyncLinkHealthCheck health;

    public QuicSyncConsumer(QuicSyncEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        requireSet(config.getHost(), "the receiver's host (quic-sync:HOST:PORT, quic-sync.remote.host)");
        requireSet(config.getBrokers(), "brokers (quic-sync.source.bootstrap)");
        requireSet(config.getSourceCluster(), "sourceCluster (quic-sync.source-cluster)");
        CamelContext context = getEndpoint().getCamelContext();
        MeterRegistry registry = FlowMetrics.registry(context);
        String ctx = context.getName();

        QuicComponent quic = context.getComponent("quic", QuicComponent.class);
        remote = quic.clientEndpoint(config.quicClient(quic.getConfiguration()));
        ServiceHelper.startService(remote);
        template = context.createProducerTemplate();
        KafkaCluster source = KafkaCluster.of(config.getKafkaCluster(), config.getBrokers(), context);
        sourceTopics = new SourceTopics(source, config.getTopicSettingsRefreshMs());

        int startWindow = config.getConnections() * REQUESTS_PER_CONNECTION;
        LinkWindow linkWindow = new LinkWindow(startWindow, config.getRequestRecords(), MAX_REQUEST_RECORDS);
        Gauge.builder("junction.quicsync.window.requests", linkWindow, w -> w.requestsInFlight(System.currentTimeMillis()))
                .tag("camelContext", ctx).description("requests the sender keeps unconfirmed (follows the link's bandwidth x round trip)")
                .register(registry);
        Gauge.builder("junction.quicsync.window.request.records", linkWindow, w -> w.requestRecords(System.currentTimeMillis()))
                .tag("camelContext", ctx).description("records per request (follows the link's bandwidth x round trip)")
                .register(registry);
        posters = context.getExecutorServiceManager().newFixedThreadPool(this, "quic-sync-sender",
                Math.max(startWindow, LinkWindow.MAX_REQUESTS));
        AdaptiveTimeout timeout = new AdaptiveTimeout(config.getMinRequestTimeoutMs(), config.getRequestTimeoutMs());
        BatchPoster poster = new BatchPoster(template, remote, config.getSourceCluster(), BatchCodec.Compression.of(config.getCompression()),
                timeout, linkWindow, config.getRetryBackoffMs(), config.getRetryBackoffMaxMs(), config.getBatchRetryMs(),
                failingSince, this::isStoppingNow, abandoning::get, this::routeConfirmed, registry, ctx);
        ReceiverOffsets receiverOffsets = new ReceiverOffsets(template, remote, config.getSourceCluster(), timeout,
                config.getRetryBackoffMaxMs(), failingSince, this::isStoppingNow);
        Counter readAgains = Counter.builder("junction.quicsync.source.read.again").tag("camelContext", ctx)
                .description("partitions read again from what the receiver applied after a batch failed for good").register(registry);
        Counter deleted = Counter.builder("junction.quicsync.source.deleted.offsets").tag("camelContext", ctx)
                .description("source offsets deleted (retention) before they were mirrored").register(registry);

        // Built here, not on the task's thread: a client setting Kafka refuses fails the route's start with its reason.
        task = new SenderTask(config, new KafkaConsumer<>(consumerProperties(source)), new RecordSelection(context, messageFilter(context),
                config.getDestinationCluster()), sourceTopics, receiverOffsets, poster, posters, linkWindow, abandoning,
                this::isStoppingNow, readAgains, deleted);
        taskThread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "quic-sync-source");
        taskThread.submit(task);
        LOG.info("quic-sync sender {} -> {}:{}: topics /{}/ excluding /{}/, message filter [{}], compression {}, {} connection(s) over {}",
                config.getSourceCluster(), config.getHost(), config.getPort(), config.getTopics(), config.getExcludeTopics(),
                config.getMessageFilter(), config.getCompression(), config.getConnections(), config.getTransport());

        lagProbe = new ConsumerGroupLag(source);
        lagRefresher = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "quic-sync-lag");
        lagRefresher.scheduleWithFixedDelay(this::refreshLag, 0, config.getLagRefreshMs(), TimeUnit.MILLISECONDS);
        health = new QuicSyncLinkHealthCheck(failingSince, config.getLinkDownHealthMs());
        HealthCheckRegistry.get(context).register(health);
    }

    private static void requireSet(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new JunctionException("quic-sync sender: " + setting + " is not set");
        }
    }

    private Predicate messageFilter(CamelContext context) {
        String filter = config.getMessageFilter();
        return filter == null || filter.isBlank() ? null
                : context.resolveLanguage(config.getMessageFilterLanguage()).createPredicate(filter);
    }

    /** The source consumer: raw records, committed only as the receiver confirms them, transactions as committed. */
    private Map<String, Object> consumerProperties(KafkaCluster source) {
        Map<String, Object> p = source.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.getGroupId());
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "quic-sync-" + config.getSourceCluster());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records of aborted transactions are never mirrored (as MirrorMaker 2 does).
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.getBatchRecords());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.getFetchPartitionBytes());
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.getTopicDiscoveryMs()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.getSessionTimeoutMs());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, config.getSessionTimeoutMs() / 4));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(MAX_POLL_INTERVAL_MS, config.getBatchRetryMs() + 60_000));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /** One exchange per confirmed batch, for the route to log or act on; a failing route loses nothing mirrored. */
    private void routeConfirmed(String topic, RecordBatch batch, int wireBytes, long roundTripMs) {
        RecordBatch.PartitionRecords section = batch.partitions().get(0);
        Exchange exchange = createExchange(false);
        try {
            var m = exchange.getMessage();
            m.setHeader(QuicSyncConstants.TOPIC, topic);
            m.setHeader(QuicSyncConstants.PARTITION, section.partition());
            m.setHeader(QuicSyncConstants.THROUGH_OFFSET, section.through());
            m.setHeader(QuicSyncConstants.RECORD_COUNT, batch.recordCount());
            m.setHeader(QuicSyncConstants.WIRE_BYTES, wireBytes);
            m.setHeader(QuicSyncConstants.ROUND_TRIP_MS, roundTripMs);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("quic-sync: the route failed on a confirmed batch", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    /**
     * Replication lag per source partition: records in the source log not yet confirmed by the receiver (the sender
     * commits only confirmed offsets, so this is the group's lag), as gauge junction.quicsync.replication.lag.
     */
    private void refreshLag() {
        Map<TopicPartition, Long> lag = lagProbe.lagByPartition(config.getGroupId());
        if (lag == null) {
            return; // the source cluster did not answer: the gauges keep their last value
        }
        CamelContext context = getEndpoint().getCamelContext();
        lag.forEach((tp, records) -> replicationLag.computeIfAbsent(tp, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("junction.quicsync.replication.lag", value, AtomicLong::get)
                    .tag("camelContext", context.getName()).tag("topic", key.topic())
                    .tag("partition", String.valueOf(key.partition())).baseUnit("records")
                    .register(FlowMetrics.registry(context));
            return value;
        }).set(records));
    }

    private boolean isStoppingNow() {
        return stopping || getEndpoint().getCamelContext().getStatus().isStopping();
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        CamelContext context = getEndpoint().getCamelContext();
        if (health != null) {
            HealthCheckRegistry.get(context).unregister(health);
        }
        if (task != null) {
            task.stop();
        }
        if (taskThread != null) {
            // The task settles what is in flight (the posters give up at once) and commits what was confirmed.
            context.getExecutorServiceManager().shutdownGraceful(taskThread, 30_000);
        }
        if (lagRefresher != null) {
            context.getExecutorServiceManager().shutdown(lagRefresher);
        }
        if (lagProbe != null) {
            lagProbe.close();
        }
        if (posters != null) {
            context.getExecutorServiceManager().shutdown(posters);
        }
        if (sourceTopics != null) {
            sourceTopics.close();
        }
        if (template != null) {
            template.stop();
        }
        ServiceHelper.stopService(remote);
        super.doStop();
    }
}
