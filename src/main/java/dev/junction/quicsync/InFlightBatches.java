package dev.junction.quicsync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.kafka.common.TopicPartition;

/**
 * The sender's batches between sending and committing, in the order they were read. Several batches, of one
 * partition too, are in flight at once (up to {@code window}); a partition's source offset is committed only up to
 * the first batch of it that is not confirmed yet. Each batch names the end of the one sent before it on its
 * partition (the chain the receiver applies them in). Used on the consumer's thread only.
 */
final class InFlightBatches {

    /** A batch (or a run of records filtered out entirely) and the last record it covers, committed once confirmed. */
    private record Entry(TopicPartition partition, Exchange last, Future<?> confirmed) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Map<TopicPartition, Long> chainEnd = new HashMap<>();
    private final Map<TopicPartition, Long> lastRead = new HashMap<>();
    private final int window;

    InFlightBatches(int window) {
        this.window = window;
    }

    /**
     * The offset the next batch of the partition follows: the end of the last batch sent, or
     * {@link RecordBatch#NO_PREDECESSOR} when the consumer reads from before that (it went back to its committed
     * offset, where everything earlier is applied).
     */
    long predecessor(TopicPartition partition, long firstOffsetRead) {
        Long end = chainEnd.get(partition);
        return end != null && end < firstOffsetRead ? end : RecordBatch.NO_PREDECESSOR;
    }

    void sent(TopicPartition partition, long through, Exchange last, Future<?> confirmed) {
        entries.add(new Entry(partition, last, confirmed));
        chainEnd.put(partition, through);
        lastRead.put(partition, through);
    }

    /** Records read and not sent (all filtered out): committed once everything before them is. */
    void skipped(TopicPartition partition, long through, Exchange last) {
        entries.add(new Entry(partition, last, CompletableFuture.completedFuture(null)));
        lastRead.put(partition, through);
    }

    /** The offset after the last one read from the partition, or null when nothing was read yet (or since a failure). */
    Long nextToRead(TopicPartition partition) {
        Long last = lastRead.get(partition);
        return last == null ? null : last + 1;
    }

    /** Blocks while {@code window} batches are unconfirmed. */
    void awaitRoom() throws InterruptedException {
        while (true) {
            Future<?> oldest = null;
            int unconfirmed = 0;
            for (Entry e : entries) {
                if (!e.confirmed().isDone()) {
                    oldest = oldest == null ? e.confirmed() : oldest;
                    unconfirmed++;
                }
            }
            if (unconfirmed < window) {
                return;
            }
            await(oldest);
        }
    }

    /** Blocks until every batch is confirmed or has failed. */
    void awaitAll() throws InterruptedException {
        for (Entry e : entries) {
            await(e.confirmed());
        }
    }

    private static void await(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException failedThisTime) {
            // seen by commitConfirmed
        }
    }

    /**
     * Commits, per partition, up to the first batch that is not confirmed, and forgets what it committed.
     * Returns the failure of a batch that failed, or null.
     */
    Exception commitConfirmed(Consumer<Exchange> commit) {
        Map<TopicPartition, Exchange> upTo = new HashMap<>();
        Set<TopicPartition> blocked = new HashSet<>();
        Exception failure = null;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (blocked.contains(e.partition())) {
                continue;
            }
            if (!e.confirmed().isDone()) {
                blocked.add(e.partition());
                continue;
            }
            try {
                e.confirmed().get();
                upTo.put(e.partition(), e.last());
                it.remove();
            } catch (ExecutionException | InterruptedException failed) {
                blocked.add(e.partition());
                failure = failure != null ? failure
                        : failed.getCause() instanceof Exception cause ? cause : new IllegalStateException(failed);
            }
        }
        upTo.values().forEach(commit);
        return failure;
    }

    /** After a failure: forgets every batch and chain (the consumer reads again from its committed offsets). */
    void clear() {
        entries.clear();
        chainEnd.clear();
        lastRead.clear();
    }
}
