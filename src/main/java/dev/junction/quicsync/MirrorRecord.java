package dev.junction.quicsync;

import java.util.List;

/** One source record as it travels: its source offset and timestamp, key, value and headers (nulls kept). */
public record MirrorRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    /** A record header; the value may be null. */
    public record Header(String name, byte[] value) {
    }
}
