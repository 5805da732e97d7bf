package dev.junction.glue.model;

/**
 * One key's value as written: {@code value} null when the key was removed (a tombstone, kept so that an older
 * write arriving late cannot bring the key back). {@code writer} breaks ties between equal timestamps.
 */
public record StateEntry(String key, byte[] value, long timestamp, long writer) {

    public boolean removed() {
        return value == null;
    }

    /** Whether this write wins against {@code other} (last writer wins; the larger writer on a tie). */
    public boolean supersedes(StateEntry other) {
        return other == null || timestamp > other.timestamp || (timestamp == other.timestamp && writer > other.writer);
    }
}
