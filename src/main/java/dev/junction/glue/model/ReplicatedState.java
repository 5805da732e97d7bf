package dev.junction.glue.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The state of one topic: the winning write of each key. Thread-safe. */
public final class ReplicatedState {

    private final Map<String, StateEntry> entries = new ConcurrentHashMap<>();

    /** Applies a write; true when it won (it is now the key's entry), false when the entry held is later. */
    public boolean apply(StateEntry write) {
        boolean[] won = new boolean[1];
        entries.compute(write.key(), (k, held) -> {
            won[0] = write.supersedes(held);
            return won[0] ? write : held;
        });
        return won[0];
    }

    /** The key's value, or null when it has none (never written, or removed). */
    public byte[] get(String key) {
        StateEntry e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** Every entry, tombstones included: what a joiner needs to converge. */
    public List<StateEntry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /** Keys with a value. */
    public int size() {
        return (int) entries.values().stream().filter(e -> !e.removed()).count();
    }
}
