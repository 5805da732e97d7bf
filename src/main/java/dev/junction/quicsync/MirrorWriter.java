package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.junction.support.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes received batches to the destination cluster exactly once and in order, on one thread:
 * <ul>
 *   <li>Records at or below a partition's applied source offset are skipped; the rest are written together with
 *       the new applied offsets in one Kafka transaction.</li>
 *   <li>A batch that names a predecessor ({@code after}) beyond the applied offset waits until that predecessor
 *       is applied (batches travel in parallel and may arrive out of order); after a while it is refused with
 *       {@link PredecessorMissingException} and the sender sends it again.</li>
 *   <li>Batches that arrive while a transaction commits all go into the next one (group commit). When a shared
 *       transaction fails, each batch is tried again alone, so a batch the cluster refuses fails only itself.</li>
 * </ul>
 */
final class MirrorWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorWriter.class);
    /** Batches of at most this many bytes (decompressed) share one transaction. */
    private static final long GROUP_BYTES = 32L * 1024 * 1024;

    /** One received batch waiting to be written; {@code done} gets the applied offset per partition. */
    private record Job(String source, String topic, RecordBatch batch, Map<String, String> topicSettings, long rawBytes,
                       long waitUntil, CompletableFuture<Map<Integer, Long>> done) {
    }

    private final KafkaCluster destination;
    private final String topicPrefix;
    private final String transactionalId;
    private final long waitForPredecessorMs;
    private final MirrorOffsets offsets;
    private final LongConsumer written;
    private final DestinationTopics destinationTopics;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private KafkaProducer<byte[], byte[]> producer;
    private volatile boolean closed;

    MirrorWriter(KafkaCluster destination, String topicPrefix, String transactionalId, long waitForPredecessorMs, MirrorOffsets offsets,
                 Admin admin, LongConsumer written) {
        this.destination = destination;
        this.waitForPredecessorMs = waitForPredecessorMs;
        this.topicPrefix = topicPrefix;
        this.transactionalId = transactionalId;
        this.offsets = offsets;
        this.destinationTopics = new DestinationTopics(admin);
        this.written = written;
        this.producer = newProducer();
        this.thread = new Thread(this::run, "quic-sync-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        Properties p = destination.clientProperties(Map.of());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        // Fail a batch within seconds rather than retry for minutes: the transaction is aborted and the sender
        // sends the batch again. (Seen here: a transactional producer stuck on OutOfOrderSequence retries until
        // its delivery timeout; Kafka 4.1.1 with transaction version 2.)
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        created.initTransactions(); // fences any earlier instance with the same transactional id
        return created;
    }

    /** Writes the batch (or the part of it not applied yet); returns the applied offset of each of its partitions. */
    Map<Integer, Long> apply(String source, String topic, RecordBatch batch, Map<String, String> topicSettings, long rawBytes)
            throws Exception {
        if (closed) {
            throw new IllegalStateException("the quic-sync receiver is stopping");
        }
        Job job = new Job(source, topic, batch, topicSettings, rawBytes, System.currentTimeMillis() + waitForPredecessorMs,
                new CompletableFuture<>());
        queue.put(job);
        try {
            return job.done().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void run() {
        List<Job> waiting = new ArrayList<>(); // jobs whose predecessor has not been applied yet, oldest first
        while (!closed) {
            List<Job> arrived = new ArrayList<>();
            try {
                // Only waiting jobs: look again when something arrives (or soon, to time them out).
                Job first = queue.poll(waiting.isEmpty() ? 200 : 20, TimeUnit.MILLISECONDS);
                if (first != null) {
                    arrived.add(first);
                    queue.drainTo(arrived);
                }
            } catch (InterruptedException e) {
                break;
            }
            List<Job> candidates = new ArrayList<>(waiting);
            candidates.addAll(arrived);
            waiting.clear();
            Transaction group = new Transaction();
            long bytes = 0;
            boolean added = true;
            while (added) { // until no candidate became ready through one taken before it
                added = false;
                for (var it = candidates.iterator(); it.hasNext(); ) {
                    Job job = it.next();
                    if (bytes + job.rawBytes() <= GROUP_BYTES || group.jobs.isEmpty()) {
                        if (group.ready(job)) {
                            group.add(job);
                            bytes += job.rawBytes();
                            it.remove();
                            added = true;
                        }
                    }
                }
            }
            if (!group.jobs.isEmpty()) {
                commit(group);
            }
            long now = System.currentTimeMillis();
            for (Job job : candidates) { // not taken: waiting for a predecessor, or for room in a transaction
                if (now > job.waitUntil() && !new Transaction().ready(job)) {
                    job.done().completeExceptionally(new PredecessorMissingException(
                            "an earlier batch of the same partition has not arrived within " + waitForPredecessorMs
                                    + " ms; send again once it is confirmed"));
                } else {
                    waiting.add(job);
                }
            }
        }
        for (Job job : waiting) {
            job.done().completeExceptionally(new IllegalStateException("the quic-sync receiver is stopping"));
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the quic-sync receiver is stopping"));
        }
    }

    /** Commits the group; when that fails, each job alone, so that a batch the cluster refuses fails only itself. */
    private void commit(Transaction group) {
        try {
            List<Map<Integer, Long>> results = write(group.jobs);
            for (int i = 0; i < group.jobs.size(); i++) {
                group.jobs.get(i).done().complete(results.get(i));
            }
        } catch (Exception shared) {
            if (group.jobs.size() == 1) {
                group.jobs.get(0).done().completeExceptionally(shared);
                return;
            }
            for (Job job : group.jobs) {
                try {
                    if (!new Transaction().ready(job)) {
                        throw new PredecessorMissingException("the batch before it on the same partition failed; send again");
                    }
                    job.done().complete(write(List.of(job)).get(0));
                } catch (Exception alone) {
                    job.done().completeExceptionally(alone);
                }
            }
        }
    }

    /** The jobs of one transaction, and what each partition's applied offset will be once it commits. */
    private final class Transaction {
        final List<Job> jobs = new ArrayList<>();
        final Map<String, Long> through = new HashMap<>();

        /** Whether every partition of the job follows what is applied (or to be applied by this transaction). */
        boolean ready(Job job) {
            for (RecordBatch.PartitionRecords section : job.batch().partitions()) {
                String key = MirrorOffsets.key(job.source(), job.topic(), section.partition());
                long applied = through.getOrDefault(key, offsets.applied(key));
                if (section.through() > applied && section.after() > applied) {
                    return false; // a gap: the batch ending at section.after() has not been applied yet
                }
            }
            return true;
        }

        void add(Job job) {
            jobs.add(job);
            for (RecordBatch.PartitionRecords section : job.batch().partitions()) {
                through.merge(MirrorOffsets.key(job.source(), job.topic(), section.partition()), section.through(), Math::max);
            }
        }
    }

    /** One transaction for all the jobs (each ready in turn); returns each job's applied offsets. */
    private List<Map<Integer, Long>> write(List<Job> jobs) throws Exception {
        Map<String, Long> advanced = new HashMap<>(); // key -> new applied offset, once committed
        List<Map<Integer, Long>> results = new ArrayList<>(jobs.size());
        long fresh = 0;
        boolean inTransaction = false;
        try {
            for (Job job : jobs) {
                Map<Integer, Long> applied = new TreeMap<>();
                String destination = topicPrefix + job.topic();
                for (RecordBatch.PartitionRecords section : job.batch().partitions()) {
                    String key = MirrorOffsets.key(job.source(), job.topic(), section.partition());
                    long before = advanced.getOrDefault(key, offsets.applied(key));
                    applied.put(section.partition(), Math.max(before, section.through()));
                    if (section.through() <= before) {
                        continue; // sent again after it was applied: nothing is written twice
                    }
                    int partitions = destinationTopics.follow(destination, job.batch().partitionCount(), job.topicSettings());
                    if (!inTransaction) {
                        producer.beginTransaction();
                        inTransaction = true;
                    }
                    // The same partition number when the destination has it; else Kafka's partitioner picks by key.
                    Integer partition = section.partition() < partitions ? section.partition() : null;
                    for (MirrorRecord r : section.records()) {
                        if (r.offset() > before) {
                            producer.send(new ProducerRecord<>(destination, partition, r.timestamp(), r.key(), r.value(),
                                    headers(r, job.source())));
                            fresh++;
                        }
                    }
                    producer.send(offsets.record(key, section.through()));
                    advanced.put(key, section.through());
                }
                results.add(applied);
            }
            if (inTransaction) {
                producer.commitTransaction();
            }
        } catch (Exception e) {
            if (inTransaction) {
                abortOrReplace();
            }
            throw e;
        }
        advanced.forEach(offsets::remember);
        written.accept(fresh);
        return results;
    }

    private static RecordHeaders headers(MirrorRecord r, String source) {
        RecordHeaders headers = new RecordHeaders();
        boolean hasOrigin = false;
        for (MirrorRecord.Header h : r.headers()) {
            headers.add(h.name(), h.value());
            hasOrigin |= QuicSyncReceiver.ORIGIN_HEADER.equals(h.name());
        }
        if (!hasOrigin) {
            headers.add(QuicSyncReceiver.ORIGIN_HEADER, source.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private void abortOrReplace() {
        try {
            producer.abortTransaction();
        } catch (Exception fatal) {
            producer.close(Duration.ZERO);
            if (closed) {
                return; // stopping: a new producer now would fence the one of the receiver that replaces this one
            }
            // Fenced or broken: a new producer (initTransactions aborts whatever was open).
            LOG.warn("quic-sync receiver replaces its Kafka producer: {}", fatal.getMessage());
            producer = newProducer();
        }
    }

    /** Finishes the transaction under way (its requests get their answer), fails the waiting ones, then closes. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("quic-sync receiver: the writer did not finish within 60 s; closing its Kafka producer under it");
        }
        producer.close(Duration.ofSeconds(5));
    }
}
