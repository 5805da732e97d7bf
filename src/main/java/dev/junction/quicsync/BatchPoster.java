package dev.junction.quicsync;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.junction.quic.QuicConstants;
import dev.junction.quic.QuicHttpException;
import dev.junction.support.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the sender's batches to the receiver ({@code POST /v1/topics/{topic}/records}) until each is confirmed,
 * waiting longer after each failure, and measures the link: records, bytes on the wire and before compression,
 * round trips, retries, reconnects. Called from the sender's posting threads, several at once.
 */
final class BatchPoster {

    private static final Logger LOG = LoggerFactory.getLogger(BatchPoster.class);

    private final ProducerTemplate template;
    private final Endpoint remote;
    private final String sourceCluster;
    private final BatchCodec.Compression codec;
    private final AdaptiveTimeout timeout;
    private final LinkWindow window;
    private final Backoff backoff;
    private final long batchRetryMs;
    /** Since when the link has failed (0: it works), shared with the sender's health check. */
    private final AtomicLong failingSince;
    private final BooleanSupplier stopping;
    private final BooleanSupplier abandoning;
    private final Counter sent;
    private final Counter wireBytes;
    private final Counter rawBytes;
    private final Counter retries;
    private final Counter reconnects;
    private final Timer roundTrip;
    private final Confirmations confirmations;

    /** Told of each batch the receiver confirmed, on the posting thread. */
    interface Confirmations {
        void confirmed(String topic, RecordBatch batch, int wireBytes, long roundTripMs);
    }

    /**
     * {@code stopping}: the sender stops; {@code abandoning}: another batch failed for good, so this one is given up
     * too (the consumer reads them all again).
     */
    BatchPoster(ProducerTemplate template, Endpoint remote, String sourceCluster, BatchCodec.Compression codec,
            AdaptiveTimeout timeout, LinkWindow window, long retryBackoffMs, long retryBackoffMaxMs, long batchRetryMs, AtomicLong failingSince,
            BooleanSupplier stopping, BooleanSupplier abandoning, Confirmations confirmations, MeterRegistry registry, String camelContext) {
        this.template = template;
        this.remote = remote;
        this.sourceCluster = sourceCluster;
        this.codec = codec;
        this.timeout = timeout;
        this.window = window;
        this.backoff = new Backoff(retryBackoffMs, retryBackoffMaxMs, "quic-sync's retryBackoffMs / retryBackoffMaxMs");
        this.batchRetryMs = batchRetryMs;
        this.failingSince = failingSince;
        this.stopping = stopping;
        this.abandoning = abandoning;
        this.confirmations = confirmations;
        sent = Counter.builder("junction.quicsync.sent.records").tag("camelContext", camelContext).register(registry);
        wireBytes = Counter.builder("junction.quicsync.wire.bytes").tag("camelContext", camelContext).register(registry);
        rawBytes = Counter.builder("junction.quicsync.raw.bytes").tag("camelContext", camelContext).register(registry);
        retries = Counter.builder("junction.quicsync.retries").tag("camelContext", camelContext).register(registry);
        reconnects = Counter.builder("junction.quicsync.reconnects").tag("camelContext", camelContext).register(registry);
        roundTrip = Timer.builder("junction.quicsync.batch.round.trip").tag("camelContext", camelContext).register(registry);
    }

    /** Posts until the receiver confirms. A 413 splits the batch; other failures wait and try again. */
    void post(String topic, RecordBatch batch, String settings, int connection, long giveUpAt) throws InterruptedException {
        byte[] body = BatchCodec.encode(batch, codec);
        for (int attempt = 1; ; attempt++) {
            boolean stopped = stopping.getAsBoolean();
            boolean abandoned = abandoning.getAsBoolean();
            if (stopped || abandoned || System.currentTimeMillis() > giveUpAt) {
                // Not committed: the consumer polls these records again from the committed offsets.
                throw new IllegalStateException("quic-sync batch of " + topic + " " + describe(batch) + " not confirmed "
                        + (stopped ? "before the sender stopped" : abandoned ? "before another batch failed"
                        : "within " + batchRetryMs + " ms") + "; it is sent again");
            }
            long timeoutMs = timeout.timeoutMs(attempt);
            long t0 = System.nanoTime();
            Exchange reply = template.request(remote, e -> {
                e.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/topics/" + topic + "/records");
                e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/vnd.junction.quic-sync-batch");
                e.getMessage().setHeader(QuicSyncReceiver.SOURCE_CLUSTER_HEADER, sourceCluster);
                if (!settings.isEmpty()) {
                    e.getMessage().setHeader(TopicSettings.HEADER, settings);
                }
                e.getMessage().setHeader(QuicConstants.REQUEST_TIMEOUT_MS, timeoutMs);
                e.getMessage().setHeader(QuicConstants.CONNECTION, connection);
                e.getMessage().setBody(body);
            });
            int status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (reply.getException() == null && status >= 200 && status < 300) {
                long nanos = System.nanoTime() - t0;
                roundTrip.record(Duration.ofNanos(nanos));
                timeout.answered(nanos / 1_000_000);
                window.confirmed(batch.recordCount(), body.length, nanos / 1_000_000, System.currentTimeMillis());
                sent.increment(batch.recordCount());
                wireBytes.increment(body.length);
                rawBytes.increment(BatchCodec.rawLength(body));
                failingSince.set(0);
                confirmations.confirmed(topic, batch, body.length, nanos / 1_000_000);
                return;
            }
            if (status == 413 && batch.recordCount() > 1) {
                for (RecordBatch half : halves(batch)) {
                    post(topic, half, settings, connection, giveUpAt);
                }
                return;
            }
            failingSince.compareAndSet(0, System.currentTimeMillis());
            retries.increment();
            boolean linkFailure = reply.getException() != null && !(reply.getException() instanceof QuicHttpException);
            if (linkFailure) {
                reconnects.increment(); // the quic producer replaces a connection that failed or stalled
            }
            // An answer that refuses (5xx, 409) backs off more each time; a request the link lost has waited its
            // timeout or handshake already, and is sent again soon: records flow within seconds of a link's return.
            long delayMs = backoff.delayMs(linkFailure ? 1 : attempt);
            LOG.warn("quic-sync batch of {} {} not confirmed ({}); retrying in {} ms", topic, describe(batch),
                    reply.getException() != null ? reply.getException().getMessage() : "status " + status, delayMs);
            Thread.sleep(delayMs);
        }
    }

    /**
     * Two batches of about half the records each: by partition when there are several, else by offset (the first
     * half ends at its last record, the second follows it).
     */
    static List<RecordBatch> halves(RecordBatch batch) {
        List<RecordBatch.PartitionRecords> sections = batch.partitions();
        if (sections.size() > 1) {
            int half = sections.size() / 2;
            return List.of(new RecordBatch(batch.partitionCount(), sections.subList(0, half)),
                    new RecordBatch(batch.partitionCount(), sections.subList(half, sections.size())));
        }
        RecordBatch.PartitionRecords only = sections.get(0);
        List<MirrorRecord> records = only.records();
        int half = records.size() / 2;
        long firstEnd = records.get(half - 1).offset();
        return List.of(
                new RecordBatch(batch.partitionCount(), List.of(new RecordBatch.PartitionRecords(only.partition(), only.after(), firstEnd, records.subList(0, half)))),
                new RecordBatch(batch.partitionCount(), List.of(new RecordBatch.PartitionRecords(only.partition(), firstEnd, only.through(), records.subList(half, records.size())))));
    }

    private static String describe(RecordBatch batch) {
        StringBuilder s = new StringBuilder();
        for (RecordBatch.PartitionRecords p : batch.partitions()) {
            s.append(s.length() == 0 ? "" : ", ").append(p.partition()).append(':').append(p.records().get(0).offset())
                    .append("..").append(p.through());
        }
        return "(partition:offsets " + s + ")";
    }
}
