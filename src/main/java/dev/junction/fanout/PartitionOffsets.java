package dev.junction.fanout;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each assigned partition are still out (read, not yet acknowledged or dead-lettered), so that a
 * commit never passes the lowest of them: a restart then resumes without losing a record. Records are read on the
 * poll thread and finish on any thread.
 */
final class PartitionOffsets {

    /**
     * One partition for one assignment: a later assignment of the same partition starts a new track. The offsets
     * read and not yet passed by the commit point, in the order read (which is increasing), in a ring with a done
     * flag each: reading appends, finishing is a binary search, and the commit point is the ring's head. (A sorted
     * concurrent set did the same at a cost of a tenth of the daemon's time.) The poll thread reads; any thread
     * finishes.
     */
    static final class Track {
        private long[] offsets = new long[1024];
        private boolean[] done = new boolean[1024];
        private int head;
        private int size;
        private int outstanding;
        private long next = -1;
        private long committed = -1;

        synchronized void read(long offset) {
            if (size == offsets.length) {
                grow();
            }
            int at = (head + size) & (offsets.length - 1);
            offsets[at] = offset;
            done[at] = false;
            size++;
            outstanding++;
            next = offset + 1;
        }

        /** The record at {@code offset} is done: it no longer holds the commit back. */
        synchronized void done(long offset) {
            int at = find(offset);
            if (at < 0 || done[at]) {
                return;
            }
            done[at] = true;
            outstanding--;
            while (size > 0 && done[head]) {
                head = (head + 1) & (offsets.length - 1);
                size--;
            }
        }

        synchronized int outstanding() {
            return outstanding;
        }

        /** Where the next read starts; -1 before the first. */
        synchronized long next() {
            return next;
        }

        /** The offset a commit may go up to: the lowest still out, or the one after the last read. */
        synchronized long commitPoint() {
            return size == 0 ? next : offsets[head];
        }

        /** The ring index of {@code offset}, or -1 when it is not in the ring. */
        private int find(long offset) {
            int low = 0;
            int high = size - 1;
            int mask = offsets.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                long value = offsets[(head + mid) & mask];
                if (value < offset) {
                    low = mid + 1;
                } else if (value > offset) {
                    high = mid - 1;
                } else {
                    return (head + mid) & mask;
                }
            }
            return -1;
        }

        private void grow() {
            long[] biggerOffsets = new long[offsets.length * 2];
            boolean[] biggerDone = new boolean[offsets.length * 2];
            for (int i = 0; i < size; i++) {
                int from = (head + i) & (offsets.length - 1);
                biggerOffsets[i] = offsets[from];
                biggerDone[i] = done[from];
            }
            offsets = biggerOffsets;
            done = biggerDone;
            head = 0;
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
        track.read(offset);
        return track;
    }

    /** Records read and not done, over all partitions: the fill of the buffer. */
    int outstanding() {
        int sum = 0;
        for (Track track : tracks.values()) {
            sum += track.outstanding();
        }
        return sum;
    }

    /** Offsets to commit for {@code partitions}: those that moved since the last commit. Poll thread only. */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Track track = tracks.get(partition);
            if (track == null || track.next() < 0) {
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
