package dev.junction.glue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.junction.glue.model.HybridLogicalClock;
import dev.junction.glue.model.ReplicatedState;
import dev.junction.glue.model.StateCodec;
import dev.junction.glue.model.StateEntry;
import dev.junction.glue.topics.GlueMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated key-value state of one topic, as {@link GlueNode#state} gives it: {@link #put} and {@link #remove}
 * apply here at once and go to every endpoint using the topic; the latest write of a key wins everywhere (hybrid
 * logical clock timestamps), so all endpoints converge whatever order the writes arrive in. Listeners hear of every
 * write that changed this endpoint's state, local or remote.
 */
public final class GlueState {

    private static final Logger LOG = LoggerFactory.getLogger(GlueState.class);
    /** A snapshot goes in messages of about this size. */
    private static final int SNAPSHOT_MESSAGE_BYTES = 1024 * 1024;

    private final String topic;
    private final long writer;
    private final HybridLogicalClock clock;
    private final BiConsumer<String, byte[]> publisher;
    private final ReplicatedState state = new ReplicatedState();
    private final List<Consumer<StateEntry>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong badWrites = new AtomicLong();

    GlueState(String topic, long writer, HybridLogicalClock clock, BiConsumer<String, byte[]> publisher) {
        this.topic = topic;
        this.writer = writer;
        this.clock = clock;
        this.publisher = publisher;
    }

    public String topic() {
        return topic;
    }

    public void put(String key, byte[] value) {
        write(key, value.clone());
    }

    public void remove(String key) {
        write(key, null);
    }

    private void write(String key, byte[] value) {
        StateEntry entry = new StateEntry(key, value, clock.now(), writer);
        byte[] encoded = StateCodec.encode(List.of(entry)); // a key too long fails here, before anything changed
        if (state.apply(entry)) {
            listeners.forEach(l -> l.accept(entry));
        }
        publisher.accept(topic, encoded);
    }

    /** The key's value, or null. */
    public byte[] get(String key) {
        byte[] v = state.get(key);
        return v == null ? null : v.clone();
    }

    /** Every key with a value, and its value. */
    public Map<String, byte[]> values() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (StateEntry e : state.snapshot()) {
            if (!e.removed()) {
                out.put(e.key(), e.value());
            }
        }
        return out;
    }

    public int size() {
        return state.size();
    }

    /** {@code listener} hears of each write that changes this state from now on, on the delivery thread; close to stop. */
    public GlueSubscription onChange(Consumer<StateEntry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** State messages that could not be read (counted, logged at DEBUG, nothing applied). */
    public long badWrites() {
        return badWrites.get();
    }

    /** A peer's writes or snapshot. */
    void received(GlueMessage message) {
        List<StateEntry> writes;
        try {
            writes = StateCodec.decode(message.payload());
        } catch (IllegalArgumentException e) {
            badWrites.incrementAndGet();
            LOG.debug("glue: a state message of {} from {} could not be read: {}", topic, message.endpointName(), e.getMessage());
            return;
        }
        for (StateEntry w : writes) {
            clock.observe(w.timestamp());
            if (state.apply(w)) {
                listeners.forEach(l -> l.accept(w));
            }
        }
    }

    /** The whole state, tombstones included, as messages of about 1 MB each. */
    List<byte[]> snapshotMessages() {
        List<byte[]> messages = new ArrayList<>();
        List<StateEntry> chunk = new ArrayList<>();
        long bytes = 0;
        for (StateEntry e : state.snapshot()) {
            chunk.add(e);
            bytes += e.key().length() * 3L + 30 + (e.value() == null ? 0 : e.value().length);
            if (bytes >= SNAPSHOT_MESSAGE_BYTES) {
                messages.add(StateCodec.encode(chunk));
                chunk = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!chunk.isEmpty()) {
            messages.add(StateCodec.encode(chunk));
        }
        return messages;
    }
}
