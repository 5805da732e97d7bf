package dev.junction.fanout;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each assigned partition are still out (read, not yet acknowledged or dead-lettered), so that a
 * commit never passes the lowest of them: a restart then resumes without losing a record. Records are read on the
 * poll thread and finish on any thread.
 */
final class PartitionOffsets {

    /** One partition for one assignment: a later assignment of the same partition starts a new track. */
    static final class Track {
        private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
        private final AtomicInteger outstanding = new AtomicInteger();
        private volatile long next = -1;
        private long committed = -1;

        /** The record at {@code offset} is done: it no longer holds the commit back. */
        void done(long offset) {
            if (pending.remove(offset)) {
                outstanding.decrementAndGet();
            }
        }

        /** The offset a commit may go up to: the lowest still out, or the one after the last read. */
        long commitPoint() {
            long afterLast = next; // read before the set: a record read in between is then in the set already
            Long lowest = pending.ceiling(Long.MIN_VALUE);
            return lowest == null ? afterLast : Math.min(lowest, afterLast);
        }
    }

    private final Map<TopicPartition, Track> tracks = new ConcurrentHashMap<>();

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> tracks.put(p, new Track()));
    }

    void removed(Collection<TopicPartition> partitions) {
        partitions.forEach(tracks::remove);
    }

    void clear() {
        tracks.clear();
    }

    /** The poll thread read the record at {@code offset}; returns its track, to mark it done with. */
    Track read(TopicPartition partition, long offset) {
        Track track = tracks.computeIfAbsent(partition, p -> new Track());
        track.pending.add(offset);
        track.outstanding.incrementAndGet();
        track.next = offset + 1;
        return track;
    }

    /** Records read and not done, over all partitions: the fill of the buffer. */
    int outstanding() {
        return tracks.values().stream().mapToInt(t -> t.outstanding.get()).sum();
    }

    /** Offsets to commit for {@code partitions}: those that moved since the last commit. Poll thread only. */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Track track = tracks.get(partition);
            if (track == null || track.next < 0) {
                continue;
            }
            long point = track.commitPoint();
            if (point > track.committed) {
                offsets.put(partition, new OffsetAndMetadata(point));
                track.committed = point;
            }
        }
        return offsets;
    }

    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        return toCommit(tracks.keySet());
    }
}
