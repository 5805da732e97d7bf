package dev.junction.glue.discovery;

/** Told when a peer appears, changes what it announces, or expires; called on discovery's threads. */
public interface PeerListener {

    void joined(Peer peer);

    default void changed(Peer peer) {
    }

    void left(Peer peer);
}
