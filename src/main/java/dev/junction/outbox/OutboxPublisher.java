package dev.junction.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.junction.support.Causes;
import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a claimed batch to Kafka with an idempotent, acks=all producer and reports, row by row, what Kafka
 * acknowledged. Rows are sent in id order; once a row of an aggregate fails, the later rows of that aggregate are
 * held back (not sent, or not counted as published), so an aggregate's events never overtake each other.
 */
final class OutboxPublisher implements AutoCloseable {

    /** A row that did not reach Kafka, why, and whether trying again can help. */
    record Failure(OutboxRow row, String error, boolean poison) {
    }

    /**
     * What happened to a batch: published rows' ids, failures, rows held back behind a failure, the topics that
     * took records and those refused before sending (topic to reason).
     */
    record Outcome(List<Long> publishedIds, List<Failure> failures, int heldBack, Set<String> topicsWritten,
            Map<String, String> refusedTopics) {
    }

    private record Sent(OutboxRow row, Future<RecordMetadata> ack) {
    }

    private final Properties producerProperties;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private final OutboxRecordMapper mapper;
    private final String deadLetterTopic;
    private final int maxRecordBytes;
    private final OutboxTopics topics;

    OutboxPublisher(KafkaCluster cluster, OutboxRecordMapper mapper, String deadLetterTopic, int maxRecordBytes) {
        this.topics = new OutboxTopics(cluster);
        Properties p = cluster.clientProperties(Map.of());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps per-partition order across the producer's own retries with up to 5 batches in flight.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(maxRecordBytes, 1_048_576)));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "junction-outbox-relay");
        // A batch Kafka does not take within 30 s fails and its rows are sent again (Kafka's default waits 2 min):
        // sooner retries, and a producer broken by a refused login is found and replaced within a minute.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        this.producerProperties = p;
        this.producer = newProducer();
        this.mapper = mapper;
        this.deadLetterTopic = deadLetterTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    Outcome publish(List<OutboxRow> rows) throws InterruptedException {
        Set<String> stopped = new HashSet<>();
        List<Failure> failures = new ArrayList<>();
        List<Sent> sent = new ArrayList<>(rows.size());
        int heldBack = 0;
        boolean loginFailed = false;
        Map<String, String> refused = topics.refused(rows.stream().map(mapper::topicOf).toList());
        for (OutboxRow row : rows) {
            if (stopped.contains(row.aggregateKey())) {
                heldBack++;
                continue;
            }
            String reason = refused.isEmpty() ? null : refused.get(mapper.topicOf(row));
            if (reason != null) {
                // Counted as an attempt, backed off, and dead-lettered after outbox.max-attempts like a poison row.
                failures.add(new Failure(row, reason, true));
                stopped.add(row.aggregateKey());
                continue;
            }
            try {
                sent.add(new Sent(row, producer.send(mapper.toRecord(row))));
            } catch (PoisonRowException e) {
                failures.add(new Failure(row, e.getMessage(), true));
                stopped.add(row.aggregateKey());
            } catch (KafkaException e) {
                if (!isAuthentication(e)) {
                    throw e;
                }
                failures.add(new Failure(row, e.getClass().getSimpleName() + ": " + e.getMessage(), false));
                stopped.add(row.aggregateKey());
                loginFailed = true;
            }
        }
        List<Long> published = new ArrayList<>(sent.size());
        Set<String> written = new HashSet<>();
        for (Sent s : sent) {
            if (stopped.contains(s.row().aggregateKey())) {
                // Acknowledged or not, it stays unpublished: it must follow the failed row, and will be sent again.
                awaitQuietly(s.ack());
                heldBack++;
                continue;
            }
            try {
                written.add(s.ack().get().topic());
                published.add(s.row().id());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                failures.add(new Failure(s.row(), cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        !isTransient(cause)));
                stopped.add(s.row().aggregateKey());
                loginFailed |= isAuthentication(cause);
            }
        }
        if (loginFailed) {
            renewProducer();
        }
        written.forEach(topics::confirmed);
        return new Outcome(published, failures, heldBack, written, refused);
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * An idempotent producer whose login or TLS handshake failed can stay in a fatal state for good; once the password
     * or certificate is fixed, only a new producer gets through. Nothing is lost: the failed rows are sent again.
     */
    private void renewProducer() {
        KafkaProducer<byte[], byte[]> old = producer;
        producer = newProducer();
        old.close(Duration.ZERO);
    }

    private static boolean isAuthentication(Throwable e) {
        return Causes.find(e, AuthenticationException.class).isPresent();
    }

    /**
     * Sends a poison row to the dead-letter topic with the reason in headers; waits for the ack. A payload too large
     * for Kafka is left out (header {@code junction.outbox.payload-omitted} gives its size): the row keeps it.
     */
    void deadLetter(OutboxRow row, String error) throws ExecutionException, InterruptedException {
        byte[] payload = row.payload();
        boolean omit = payload != null && payload.length > maxRecordBytes / 2;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                bytes(row.aggregateId()), omit ? null : payload);
        if (omit) {
            record.headers().add("junction.outbox.payload-omitted", bytes(String.valueOf(payload.length)));
        }
        record.headers().add(OutboxRecordMapper.HEADER_EVENT_ID, bytes(row.eventId()));
        record.headers().add(OutboxRecordMapper.HEADER_EVENT_TYPE, bytes(row.eventType()));
        record.headers().add(OutboxRecordMapper.HEADER_AGGREGATE_TYPE, bytes(row.aggregateType()));
        record.headers().add("junction.outbox.id", bytes(String.valueOf(row.id())));
        record.headers().add("junction.outbox.topic", bytes(mapper.topicOf(row)));
        record.headers().add("junction.outbox.error", bytes(error));
        if (row.headersJson() != null) {
            record.headers().add("junction.outbox.headers", bytes(row.headersJson()));
        }
        producer.send(record).get();
    }

    /**
     * Whether a send failure says nothing about the row, so the row is sent again and never dead-lettered:
     * retriable errors, and the idempotent producer's own state errors. Kafka 4.1.1 can refuse the first batches to a
     * just-created partition with OutOfOrderSequence until the producer resets its state (KAFKA-15591). A refused
     * login or TLS handshake (a rotated password, an expired certificate) is the cluster's, never the row's.
     */
    static boolean isTransient(Throwable cause) {
        return cause instanceof RetriableException
                || isAuthentication(cause) // SASL and TLS handshake failures, also as the cause of a fatal state
                || cause instanceof OutOfOrderSequenceException // UnknownProducerIdException too
                || cause instanceof InvalidProducerEpochException;
    }

    private static void awaitQuietly(Future<RecordMetadata> ack) throws InterruptedException {
        try {
            ack.get();
        } catch (ExecutionException ignored) {
            // the row is re-sent later in any case
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
        topics.close();
    }
}
