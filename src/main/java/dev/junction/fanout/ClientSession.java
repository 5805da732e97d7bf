package dev.junction.fanout;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.junction.fanout.protocol.FrameWriter;
import io.netty.channel.Channel;

/** One connected client after its HELLO: its label, its limit and the records it holds. Used on the dispatcher's thread. */
final class ClientSession {

    final long number;
    final Channel channel;
    /** Where the DELIVERs to this client are written: one write and flush per turn of the loop. */
    final FrameWriter deliveries;
    final String name;
    final String group;
    final int maxInFlight;
    /** Delivery id → delivery, in the order they were sent. */
    final Map<Long, Delivery> inFlight = new LinkedHashMap<>();

    ClientSession(long number, Channel channel, String name, String group, int maxInFlight) {
        this.number = number;
        this.channel = channel;
        this.deliveries = new FrameWriter(channel);
        this.name = name;
        this.group = group;
        this.maxInFlight = maxInFlight;
    }

    boolean hasRoom() {
        return inFlight.size() < maxInFlight && channel.isWritable();
    }

    @Override
    public String toString() {
        return "client '" + name + "' (" + channel.remoteAddress() + ")";
    }
}
