package dev.junction.dbsync;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.junction.support.KafkaCluster;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the legacy changes on the legacy topic without waiting for each acknowledgement, as Kafka Connect's source
 * tasks do: Debezium hands one change at a time to the route, and waiting for the broker after each one held the
 * capture to one round trip a change. Nothing is lost for it: {@link LegacyOffsetStore} saves Debezium's offsets only
 * after every change sent so far is acknowledged. One idempotent producer keeps each film's changes in order.
 * <p>
 * A Kafka outage holds the capture (sends are retried, and block when the buffer is full, for as long as it lasts).
 * A change Kafka refuses for good (too large, not authorised) stops the capture: every later send fails and no offset
 * moves past the refused change, so a restart after the fix sends it again.
 */
public final class LegacyChangeSender implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyChangeSender.class);
    /** The live sender of each Debezium offsets file, for {@link LegacyOffsetStore}, which Debezium makes itself. */
    private static final Map<Path, LegacyChangeSender> BY_OFFSETS_FILE = new ConcurrentHashMap<>();

    private CamelContext camelContext;
    private boolean enabled = true;
    private String brokers;
    private String topic;
    private String offsetsFile;

    private KafkaProducer<String, String> producer;
    private volatile Exception failure;

    public void start() {
        if (!enabled) {
            return;
        }
        KafkaCluster cluster = KafkaCluster.of(KafkaCluster.DEFAULT, brokers, camelContext);
        producer = new KafkaProducer<>(cluster.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                // Retry through any outage: the engine waits instead of failing.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Long.MAX_VALUE),
                ProducerConfig.LINGER_MS_CONFIG, "1",
                ProducerConfig.CLIENT_ID_CONFIG, "junction-db-sync-capture")),
                new StringSerializer(), new StringSerializer());
        // Camel may make this bean twice while loading the routes; the one started last is the live one.
        BY_OFFSETS_FILE.put(key(offsetsFile), this);
    }

    public void stop() {
        if (producer != null) {
            // First: close() waits for every change sent, so an offset save after it has nothing left to wait for.
            producer.close();
        }
        if (offsetsFile != null) {
            BY_OFFSETS_FILE.remove(key(offsetsFile), this);
        }
    }

    /** The route's step: sends the body, keyed by the Kafka key header, and returns at once. */
    public void send(Exchange exchange) {
        throwIfRefused();
        String key = exchange.getMessage().getHeader(KafkaConstants.KEY, String.class);
        producer.send(new ProducerRecord<>(topic, key, exchange.getMessage().getBody(String.class)), (metadata, error) -> {
            if (error != null && failure == null) {
                failure = error;
                LOG.error("db-sync: {}", reason(error));
            }
        });
    }

    /**
     * Returns once every change sent so far is on the legacy topic; throws if Kafka refused one (then no offset may
     * be saved past it).
     */
    void awaitAcknowledged() {
        try {
            producer.flush();
        } catch (IllegalStateException closed) {
            // Closed by stop(), which waited for every change sent: nothing is pending.
        }
        throwIfRefused();
    }

    private void throwIfRefused() {
        Exception failed = failure;
        if (failed != null) {
            throw new CaptureStoppedException(reason(failed), failed);
        }
    }

    /** Why the capture stopped, or null while it runs. */
    String problem() {
        Exception failed = failure;
        return failed == null ? null : reason(failed);
    }

    static LegacyChangeSender forOffsetsFile(String file) {
        return BY_OFFSETS_FILE.get(key(file));
    }

    private String reason(Exception e) {
        return "Kafka refused a legacy change for " + topic + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "); the capture stopped before it and resumes there on restart; check db-sync.legacy-topic and"
                + " kafka.client.* (max.request.size, authorisation)";
    }

    private static Path key(String file) {
        return Path.of(file).toAbsolutePath().normalize();
    }

    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getBrokers() { return brokers; }
    public void setBrokers(String brokers) { this.brokers = brokers; }
    public String getTopic() { return topic; }
    public void setTopic(String topic) { this.topic = topic; }
    public String getOffsetsFile() { return offsetsFile; }
    public void setOffsetsFile(String offsetsFile) { this.offsetsFile = offsetsFile; }
}
