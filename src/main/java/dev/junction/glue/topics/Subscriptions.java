package dev.junction.glue.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.junction.glue.wire.Frame;

/** This endpoint's subscriptions: topic and type, and who gets their messages. */
public final class Subscriptions {

    private final Map<Frame.Subscription, List<Consumer<GlueMessage>>> handlers = new ConcurrentHashMap<>();

    public void add(String topic, String type, Consumer<GlueMessage> handler) {
        handlers.computeIfAbsent(new Frame.Subscription(topic, type), k -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Stops handing messages to {@code handler}; the topic is no longer announced when it was the last one. */
    public void remove(String topic, String type, Consumer<GlueMessage> handler) {
        handlers.computeIfPresent(new Frame.Subscription(topic, type), (k, list) -> {
            list.remove(handler);
            return list.isEmpty() ? null : list;
        });
    }

    /** What discovery announces. */
    public List<Frame.Subscription> announced() {
        return new ArrayList<>(handlers.keySet());
    }

    /** Hands a message to every handler of its topic and type; returns how many there were. */
    public int dispatch(GlueMessage message) {
        List<Consumer<GlueMessage>> to = handlers.get(new Frame.Subscription(message.topic(), message.type()));
        if (to == null) {
            return 0;
        }
        to.forEach(h -> h.accept(message));
        return to.size();
    }
}
