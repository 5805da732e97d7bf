package dev.junction.fanout.protocol;

import java.util.List;

/**
 * The frames of fanout's client protocol (docs/fanout-protocol.md). Each travels as a 4-byte length, a type byte
 * and the type's fields; {@link FrameCodec} reads and writes them.
 */
public sealed interface Frame {

    /** Client to server, first frame: who the client is and how many records it takes at once. */
    record Hello(int version, String clientName, String group, int maxInFlight, String token) implements Frame {
    }

    /** Server to client: the HELLO was accepted; the server sends heartbeats this often and waits this long for an ACK. */
    record Welcome(String serverName, int heartbeatMs, int ackTimeoutMs) implements Frame {
    }

    /** Server to client: this daemon is not the leader; connect to {@code leader} (host:port, empty while unknown). */
    record Redirect(String leader) implements Frame {
    }

    /** Server to client: one record; {@code attempt} counts from 1, so more than 1 means it was redelivered. */
    record Deliver(long id, String topic, int partition, long offset, int attempt, byte[] key, List<Header> headers,
                   byte[] value) implements Frame {
    }

    /** A Kafka record header of a DELIVER frame. */
    record Header(String name, byte[] value) {
    }

    /** Client to server: the record of DELIVER {@code id} is processed. */
    record Ack(long id) implements Frame {
    }

    /** Client to server: the record of DELIVER {@code id} could not be processed; give it to another client. */
    record Nack(long id, String reason) implements Frame {
    }

    /** Either way: the connection is alive. */
    record Heartbeat() implements Frame {
    }

    /** Either way, last frame: why the sender closes the connection. */
    record Close(String reason) implements Frame {
    }
}
