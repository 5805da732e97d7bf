package dev.junction.quicsync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import org.apache.kafka.common.TopicPartition;

/**
 * The sender's batches between sending and confirmation, in the order they were read. Several batches, of one
 * partition too, are in flight at once (up to {@code window}, which may change as the link is measured); a partition
 * counts as confirmed only up to its first batch that is not confirmed yet. Used on the sender task's thread only.
 */
final class InFlightBatches {

    private static final Future<?> NOTHING_TO_SEND = CompletableFuture.completedFuture(null);

    /** A batch (or a run of records filtered out entirely) and the last source offset it covers. */
    private record Entry(TopicPartition partition, long through, Future<?> confirmed) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final IntSupplier window;

    InFlightBatches(IntSupplier window) {
        this.window = window;
    }

    void sent(TopicPartition partition, long through, Future<?> confirmed) {
        entries.add(new Entry(partition, through, confirmed));
    }

    /** Records read and not sent (all filtered out): confirmed once everything before them is. */
    void skipped(TopicPartition partition, long through) {
        entries.add(new Entry(partition, through, NOTHING_TO_SEND));
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
            if (unconfirmed < window.getAsInt()) {
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
            // seen by takeConfirmed
        }
    }

    /**
     * Forgets the batches confirmed so far, per partition up to its first one that is not, and puts the last source
     * offset confirmed of each partition in {@code confirmed}. Returns the failure of a batch that failed, or null.
     */
    Exception takeConfirmed(Map<TopicPartition, Long> confirmed) {
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
                confirmed.put(e.partition(), e.through());
                it.remove();
            } catch (ExecutionException | InterruptedException failed) {
                blocked.add(e.partition());
                failure = failure != null ? failure
                        : failed.getCause() instanceof Exception cause ? cause : new IllegalStateException(failed);
            }
        }
        return failure;
    }

    /** The partitions that have batches here (after {@link #takeConfirmed}: those held up by one not confirmed). */
    Set<TopicPartition> partitions() {
        Set<TopicPartition> partitions = new HashSet<>();
        entries.forEach(e -> partitions.add(e.partition()));
        return partitions;
    }

    /** After a failure: forgets every batch (what was not confirmed is read and sent again). */
    void clear() {
        entries.clear();
    }
}
