package dev.junction.glue;

import java.util.Map;

import dev.junction.glue.wire.DropReason;

/**
 * A node's figures at one moment: peers, messages in (handed to subscribers) and out (queued per peer: one message
 * to three peers counts three), datagrams and bytes both ways, resends, data refused while the delivery queue was
 * full, reassembly failures, messages skipped for a full stream or expired on arrival, frames waiting for acknowledgement,
 * and datagrams dropped by reason.
 */
public record GlueStatistics(int peers, int absentPeers, long messagesIn, long messagesOut, long datagramsIn, long bytesIn,
        long datagramsOut, long bytesOut, long resends, long refusedWhileBusy, long reassemblyFailures, long reassemblyHeldBytes,
        long fullStreams, long expiredOnArrival, int deliveryQueue, long unacknowledged, Map<DropReason, Long> drops, long badStateWrites, long handlerErrors) {

    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
