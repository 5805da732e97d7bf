package dev.junction.glue.discovery;

/** Told when a peer appears, changes what it announces, or expires; called on discovery's threads. */
public interface PeerListener {

    void joined(Peer peer);

    /** It announces another data address or other subscriptions than {@code before}. */
    default void changed(Peer before, Peer now) {
    }

    void left(Peer peer);
}
