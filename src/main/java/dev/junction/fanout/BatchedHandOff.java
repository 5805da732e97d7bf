package dev.junction.fanout;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from any thread to one consumer that runs on {@code executor}, in batches: an item added while a batch
 * is already due joins it, so the executor's thread is woken (a system call) once per batch rather than once per item.
 * Items are taken in the order they were added.
 */
final class BatchedHandOff<T> {

    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean due = new AtomicBoolean();
    private final Executor executor;
    private final Consumer<T> consumer;

    BatchedHandOff(Executor executor, Consumer<T> consumer) {
        this.executor = executor;
        this.consumer = consumer;
    }

    void add(T item) {
        items.add(item);
        if (due.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        // Cleared before taking: an item added from here on either is taken below or schedules the next batch.
        due.set(false);
        T item;
        while ((item = items.poll()) != null) {
            consumer.accept(item);
        }
    }
}
