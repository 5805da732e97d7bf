package dev.junction.glue.network;

import java.net.InetSocketAddress;

import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;

/** What the network layer hands on: datagrams that passed every check, and the count of those that did not. */
public interface Inbound {

    /** A datagram on the data socket ({@code discovery} false) or the discovery socket, from {@code source}. */
    void received(Datagram datagram, InetSocketAddress source, boolean discovery);

    /** A datagram was dropped, for {@code reason}. */
    void dropped(DropReason reason);
}
