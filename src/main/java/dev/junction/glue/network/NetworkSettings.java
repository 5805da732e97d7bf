package dev.junction.glue.network;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * Where an endpoint listens and announces. {@code discoveryTarget} null: this endpoint is the rendezvous point (it
 * listens for announcements on {@code discoveryListen} as a unicast port and answers each with the peers it knows).
 * A multicast {@code discoveryListen} is joined on {@code networkInterface} (null: the system's choice).
 */
public record NetworkSettings(String networkId, byte[] networkKey, InetSocketAddress dataListen, NetworkInterface networkInterface,
        InetSocketAddress discoveryListen, InetSocketAddress discoveryTarget) {

    /** Whether announcements go to a multicast group, joined by every endpoint. */
    public boolean multicast() {
        return discoveryTarget != null && discoveryTarget.getAddress().isMulticastAddress();
    }

    /** Whether this endpoint is the rendezvous point of unicast discovery. */
    public boolean rendezvousPoint() {
        return discoveryTarget == null;
    }
}
