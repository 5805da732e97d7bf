package dev.junction.quicsync;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.quic.QuicConstants;
import dev.junction.support.Backoff;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks the receiver what it has applied of a source topic ({@code GET /v1/topics/{topic}/offsets}). */
final class ReceiverOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverOffsets.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first wait between two questions, unless retryBackoffMaxMs is lower. */
    private static final long FIRST_DELAY_MS = 200;

    private final ProducerTemplate template;
    private final Endpoint remote;
    private final String sourceCluster;
    private final AdaptiveTimeout timeout;
    private final Backoff backoff;
    /** Since when the link has failed (0: it works), shared with the sender's health check. */
    private final AtomicLong failingSince;
    private final BooleanSupplier stopping;

    ReceiverOffsets(ProducerTemplate template, Endpoint remote, String sourceCluster, AdaptiveTimeout timeout,
            long retryBackoffMaxMs, AtomicLong failingSince, BooleanSupplier stopping) {
        this.template = template;
        this.remote = remote;
        this.sourceCluster = sourceCluster;
        this.timeout = timeout;
        // Even the first wait stays within the maximum the user set.
        this.backoff = new Backoff(Math.min(FIRST_DELAY_MS, retryBackoffMaxMs), retryBackoffMaxMs, "quic-sync's retryBackoffMaxMs");
        this.failingSince = failingSince;
        this.stopping = stopping;
    }

    /**
     * The last source offset applied per partition (partitions with nothing applied are absent); retried until
     * giveUpAt; null when the sender is stopping.
     */
    Map<Integer, Long> applied(String topic, long giveUpAt) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            long timeoutMs = timeout.timeoutMs(attempt);
            Exchange reply = template.request(remote, e -> {
                e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
                e.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/topics/" + topic + "/offsets?source=" + sourceCluster);
                e.getMessage().setHeader(QuicConstants.REQUEST_TIMEOUT_MS, timeoutMs);
            });
            int status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            String problem;
            if (reply.getException() == null && status == 200) {
                try {
                    Map<Integer, Long> applied = parse(reply.getMessage().getBody(String.class));
                    failingSince.set(0);
                    return applied;
                } catch (Exception e) {
                    problem = "unreadable answer: " + e.getMessage();
                }
            } else {
                problem = reply.getException() != null ? reply.getException().getMessage() : "status " + status;
            }
            failingSince.compareAndSet(0, System.currentTimeMillis());
            if (stopping.getAsBoolean()) {
                return null;
            }
            long delayMs = backoff.delayMs(attempt);
            if (System.currentTimeMillis() + delayMs > giveUpAt) {
                throw new IllegalStateException("quic-sync could not learn what the receiver applied of " + topic + ": " + problem);
            }
            LOG.warn("quic-sync could not learn what the receiver applied of {} ({}); asking again in {} ms", topic, problem, delayMs);
            Thread.sleep(delayMs);
        }
    }

    static Map<Integer, Long> parse(String json) throws Exception {
        Map<Integer, Long> applied = new HashMap<>();
        JsonNode node = JSON.readTree(json).path("applied");
        node.fieldNames().forEachRemaining(p -> applied.put(Integer.parseInt(p), node.get(p).asLong()));
        return applied;
    }
}
