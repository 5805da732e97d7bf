package dev.junction.glue.transport;

import java.net.InetSocketAddress;

/**
 * How big the datagrams to a peer may be. On a LAN one datagram must fit one Ethernet frame (a lost IP fragment
 * loses the whole datagram); to a peer on this host (loopback, MTU 64 KB) far larger datagrams mean far fewer
 * system calls per message, as Cyclone DDS's 14 KB messages do.
 */
public record DatagramSize(int lanBytes, int loopbackBytes) {

    /** 1,400 bytes on a LAN, 32,000 on loopback. */
    public static final DatagramSize DEFAULT = new DatagramSize(1400, 32_000);

    public DatagramSize {
        if (lanBytes < 512 || loopbackBytes < 512) {
            throw new IllegalArgumentException("datagrams of at least 512 bytes, not " + Math.min(lanBytes, loopbackBytes));
        }
    }

    /** The same size to every peer. */
    public static DatagramSize fixed(int bytes) {
        return new DatagramSize(bytes, bytes);
    }

    public int to(InetSocketAddress peer) {
        return peer.getAddress() != null && peer.getAddress().isLoopbackAddress() ? loopbackBytes : lanBytes;
    }

    /** The largest of both. */
    public int largest() {
        return Math.max(lanBytes, loopbackBytes);
    }
}
