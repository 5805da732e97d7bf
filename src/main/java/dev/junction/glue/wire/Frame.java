package dev.junction.glue.wire;

import java.util.Arrays;
import java.util.List;

/** One frame of a datagram. Several frames to one peer travel packed in one datagram. */
public sealed interface Frame permits Frame.Announce, Frame.Data, Frame.Ack, Frame.Skip {

    /** Its bytes in a datagram, type and length prefix included. */
    int encodedLength();

    /** A subscription of an endpoint: a topic and the type of its messages. */
    record Subscription(String topic, String type) {
    }

    /**
     * Discovery: which endpoint instance this is about (a rendezvous point relays other instances' announcements),
     * who it is, where it takes data (port; address empty: the datagram's source address), how often it announces
     * and after how many missed announcements it counts as gone, and what it subscribes to.
     */
    record Announce(long instance, int endpointId, String endpointName, byte[] dataAddress, int dataPort, int rateMillis,
            int timeoutMultiplier, List<Subscription> subscriptions) implements Frame {

        public Announce {
            dataAddress = dataAddress == null ? new byte[0] : dataAddress;
            subscriptions = List.copyOf(subscriptions);
        }

        @Override
        public int encodedLength() {
            int n = FrameCodec.FRAME_HEADER + 8 + 4 + FrameCodec.stringLength(endpointName) + 1 + dataAddress.length + 2 + 4 + 1 + 2;
            for (Subscription s : subscriptions) {
                n += FrameCodec.stringLength(s.topic()) + FrameCodec.stringLength(s.type());
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Announce a && instance == a.instance && endpointId == a.endpointId && endpointName.equals(a.endpointName)
                    && Arrays.equals(dataAddress, a.dataAddress) && dataPort == a.dataPort && rateMillis == a.rateMillis
                    && timeoutMultiplier == a.timeoutMultiplier && subscriptions.equals(a.subscriptions);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(instance);
        }
    }

    /**
     * One fragment of a message on the sender's reliable stream to one peer: {@code sequence} orders and
     * acknowledges it, {@code messageId} and {@code fragmentIndex}/{@code fragmentCount} put the message together,
     * {@code expiresAt} (epoch milliseconds, 0: never) is when it is no longer worth delivering.
     */
    record Data(long sequence, long messageId, int fragmentIndex, int fragmentCount, long expiresAt, String topic,
            String type, byte[] payload) implements Frame {

        @Override
        public int encodedLength() {
            return FrameCodec.FRAME_HEADER + 8 + 8 + 4 + 4 + 8 + FrameCodec.stringLength(topic) + FrameCodec.stringLength(type)
                    + payload.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && sequence == d.sequence && messageId == d.messageId && fragmentIndex == d.fragmentIndex
                    && fragmentCount == d.fragmentCount && expiresAt == d.expiresAt && topic.equals(d.topic)
                    && type.equals(d.type) && Arrays.equals(payload, d.payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sequence);
        }
    }

    /**
     * Acknowledgement of a peer's stream: every sequence up to {@code cumulative} arrived, and so did each range of
     * {@code ranges} (pairs first..last, above it, ascending): the sender resends only the gaps.
     */
    record Ack(long cumulative, long[] ranges) implements Frame {

        public Ack {
            if (ranges.length % 2 != 0 || ranges.length / 2 > FrameCodec.MAX_ACK_RANGES) {
                throw new IllegalArgumentException("ack ranges come in pairs, at most " + FrameCodec.MAX_ACK_RANGES);
            }
        }

        @Override
        public int encodedLength() {
            return FrameCodec.FRAME_HEADER + 8 + 1 + ranges.length * 8;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ack a && cumulative == a.cumulative && Arrays.equals(ranges, a.ranges);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cumulative);
        }
    }

    /**
     * The sender's word that every sequence up to {@code through} is done on its side (acknowledged, or expired
     * unacknowledged): the receiver stops waiting for the gaps below it.
     */
    record Skip(long through) implements Frame {

        @Override
        public int encodedLength() {
            return FrameCodec.FRAME_HEADER + 8;
        }
    }
}
