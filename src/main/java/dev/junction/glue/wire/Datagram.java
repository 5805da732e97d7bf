package dev.junction.glue.wire;

import java.util.List;

/**
 * One glue datagram: from endpoint instance {@code sender} (random at each start), numbered {@code packetNumber}
 * (one more for each datagram it sends: the replay window's key), carrying {@code frames}.
 */
public record Datagram(long sender, long packetNumber, List<Frame> frames) {

    public Datagram {
        frames = List.copyOf(frames);
    }
}
