package dev.junction.glue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.junction.glue.wire.DropReason;

/** A node's own counts (the layers below count their parts). */
final class GlueCounters {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder fullStreams = new LongAdder();
    final LongAdder expiredOnArrival = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new ConcurrentHashMap<>();

    void drop(DropReason reason) {
        drops.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    long dropped(DropReason reason) {
        LongAdder n = drops.get(reason);
        return n == null ? 0 : n.sum();
    }
}
