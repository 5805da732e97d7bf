package dev.junction.quicsync;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks into the source log where the sender's consumer jumped ahead in a partition. Jumps are normal where no
 * committed record lies between (transaction markers, aborted transactions, records removed by retention); a jump
 * over committed records means the consumer lost them on the way. Its own consumer (no group), read_committed as
 * the sender's, and small fetches: it only needs the first record.
 */
final class SourceGapProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceGapProbe.class);

    private final Properties properties = new Properties();
    private final Duration timeout;
    private KafkaConsumer<byte[], byte[]> consumer;
    private volatile long checks;
    private volatile long deleted;

    SourceGapProbe(KafkaCluster source, Duration timeout) {
        this.timeout = timeout;
        properties.putAll(source.clientProperties());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "quic-sync-gap-probe");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // An offset removed by retention meanwhile: start at the log's beginning, as the sender's consumer does.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "65536");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    }

    /**
     * The offset of the first committed record of {@code partition} at or after {@code from}, if it is below
     * {@code until}; else {@code until} (nothing committed lies in between).
     */
    synchronized long firstRecord(TopicPartition partition, long from, long until) {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        checks++;
        consumer.assign(List.of(partition));
        long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (logStart > from) {
            // Nothing to read again there: the source cluster deleted those records (retention) before they were mirrored.
            LOG.warn("quic-sync: {} offsets {}..{} were deleted from the source log (retention) before they were mirrored",
                    partition, from, Math.min(logStart, until) - 1);
            deleted += Math.min(logStart, until) - from;
        }
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100)).records(partition)) {
                return Math.min(r.offset(), until);
            }
            if (consumer.position(partition) >= until) {
                return until;
            }
        }
        throw new IllegalStateException("quic-sync could not read " + partition + " from offset " + from + " within "
                + timeout.toMillis() + " ms to check the records the consumer jumped over");
    }

    /** How many source offsets were deleted from the source log before they were mirrored. */
    long deleted() {
        return deleted;
    }

    /** How many jumps it has looked into. */
    long checks() {
        return checks;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
