package dev.junction.glue.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest message this endpoint published per topic and type, for late joiners: a peer that appears, or starts
 * subscribing, gets the latest unexpired one of each topic it subscribes to.
 */
public final class LatestMessages {

    /** One published message. */
    public record Published(String topic, String type, byte[] payload, long expiresAt) {

        public boolean expired(long now) {
            return expiresAt != 0 && expiresAt < now;
        }
    }

    private record Key(String topic, String type) {
    }

    private final Map<Key, Published> latest = new ConcurrentHashMap<>();

    public void published(Published message) {
        latest.put(new Key(message.topic(), message.type()), message);
    }

    /** The latest unexpired messages; expired ones are forgotten on the way. */
    public List<Published> unexpired(long now) {
        List<Published> out = new ArrayList<>();
        latest.values().removeIf(p -> p.expired(now));
        out.addAll(latest.values());
        return out;
    }
}
