package dev.junction.glue.discovery;

import java.net.InetSocketAddress;
import java.util.List;

import dev.junction.glue.wire.Frame;

/** Another endpoint as discovery last heard of it: where its data goes, what it subscribes to, when it expires. */
public record Peer(long instance, int endpointId, String name, InetSocketAddress dataAddress,
        List<Frame.Subscription> subscriptions, int rateMillis, int timeoutMultiplier, long expiresAt) {

    /** Whether it subscribes to {@code topic} with messages of {@code type}. */
    public boolean subscribes(String topic, String type) {
        for (Frame.Subscription s : subscriptions) {
            if (s.topic().equals(topic) && s.type().equals(type)) {
                return true;
            }
        }
        return false;
    }
}
