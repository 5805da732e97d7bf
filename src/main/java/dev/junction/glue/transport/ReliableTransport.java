package dev.junction.glue.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable streams between this endpoint and each peer, over the data socket. Flushes run on the socket's event
 * loop: each packs every peer's due frames, its acknowledgement and any skip into datagrams of at most the peer's
 * datagram size, so many small messages travel in one datagram. Frames from a peer are delivered in order, once, to {@link Delivery}.
 */
public final class ReliableTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReliableTransport.class);
    /** Streams from senders at most: datagrams from more new senders than this are dropped, not buffered. */
    private static final int MAX_RECEIVE_STREAMS = 4096;
    private static final long FLUSH_EVERY_MILLIS = 5;
    /**
     * Frames out unacknowledged per peer at most: with small messages the window is counted in frames (512 held
     * 64-byte messages to 50,000/s on loopback). ACKs describe up to 512 gaps: on a very lossy link some frames
     * beyond them are resent for nothing, which costs bandwidth, not correctness.
     */
    private static final int MAX_IN_FLIGHT = 4096;
    /**
     * Payload bytes out unacknowledged per peer at most: a burst of a whole buffer would overflow the peer's socket
     * (a 10 MB message took 66 s with no limit, 5 s with one).
     */
    private static final long MAX_IN_FLIGHT_BYTES = 2 * 1024 * 1024;

    /** Where delivered frames go, on the socket's thread, in order per peer. */
    public interface Delivery {
        void delivered(long peerInstance, Frame.Data frame);

        /**
         * False while the receiver cannot take more: data frames are then neither accepted nor acknowledged, and
         * their senders resend them later (flow control that holds the data at the senders, within their buffers).
         */
        default boolean hasRoom() {
            return true;
        }
    }

    /** One peer: where its data socket is, and both directions of the stream with it. */
    private static final class Link {
        volatile InetSocketAddress address;
        final SendStream send;
        final ReceiveStream receive;
        volatile int maxDatagramBytes;
        volatile boolean ackDue;

        Link(InetSocketAddress address, int maxDatagramBytes, SendStream send, ReceiveStream receive) {
            this.address = address;
            this.maxDatagramBytes = maxDatagramBytes;
            this.send = send;
            this.receive = receive;
        }
    }

    private final GlueNetwork network;
    private final long instance;
    private final AtomicLong packetNumbers;
    private final Delivery delivery;
    private final int capacity;
    private final long minTimeoutMillis;
    private final DatagramSize datagramSize;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    /** A flush is queued on the event loop: more signals until it runs add nothing (their frames go with it). */
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final ScheduledFuture<?> timer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Publishers waiting for room in a stream, woken when acknowledgements arrive. */
    private final Object roomChanged = new Object();
    private int waitingForRoom;

    public ReliableTransport(GlueNetwork network, long instance, AtomicLong packetNumbers, Delivery delivery, int capacity,
            long minTimeoutMillis, DatagramSize datagramSize) {
        this.network = network;
        this.instance = instance;
        this.packetNumbers = packetNumbers;
        this.delivery = delivery;
        this.capacity = capacity;
        this.minTimeoutMillis = minTimeoutMillis;
        this.datagramSize = datagramSize;
        // Resends and expiry are looked at every few milliseconds; new frames and acks go as soon as they are there.
        this.timer = network.eventLoop().scheduleAtFixedRate(this::flushNow, FLUSH_EVERY_MILLIS, FLUSH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A peer to talk to (discovery found it, or it changed address). */
    public void connect(long peer, InetSocketAddress dataAddress) {
        links.compute(peer, (k, link) -> {
            if (link == null) {
                return newLink(dataAddress);
            }
            link.address = dataAddress;
            link.maxDatagramBytes = datagramSize.to(dataAddress);
            return link;
        });
    }

    private Link newLink(InetSocketAddress address) {
        return new Link(address, datagramSize.to(address), new SendStream(capacity, MAX_IN_FLIGHT, MAX_IN_FLIGHT_BYTES, minTimeoutMillis),
                new ReceiveStream(capacity));
    }

    /** A peer is back after a partition: what it has not acknowledged goes again now. */
    public void resume(long peer) {
        Link link = links.get(peer);
        if (link != null) {
            link.send.resume();
            signal();
        }
    }

    /** Whether there are streams with {@code peer}. */
    public boolean isConnected(long peer) {
        return links.containsKey(peer);
    }

    /**
     * Waits until {@code peer}'s stream has room for {@code frames}, or {@code deadlineNanos} (of
     * {@link System#nanoTime()}) passes; true when it has.
     */
    public boolean awaitRoom(long peer, int frames, long deadlineNanos) throws InterruptedException {
        synchronized (roomChanged) {
            waitingForRoom++;
            try {
                while (room(peer) < frames && isConnected(peer)) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(roomChanged, left);
                }
                return room(peer) >= frames;
            } finally {
                waitingForRoom--;
            }
        }
    }

    /** A peer is gone: its streams and what they held are dropped. */
    public void disconnect(long peer) {
        links.remove(peer);
        wakeWaiters();
    }

    /**
     * Queues one fragment for {@code peer}; false when its stream is full (a slow or gone peer: at most
     * {@code capacity} frames wait for it) or the peer is unknown.
     */
    public boolean send(long peer, long messageId, int fragmentIndex, int fragmentCount, long expiresAt, String topic, String type,
            byte[] payload) {
        Link link = links.get(peer);
        if (link == null || !link.send.offer(messageId, fragmentIndex, fragmentCount, expiresAt, topic, type, payload)) {
            return false;
        }
        signal();
        return true;
    }

    /** Frames {@code peer}'s stream can take now (0 for an unknown peer). */
    public int room(long peer) {
        Link link = links.get(peer);
        return link == null ? 0 : link.send.room();
    }

    /** The largest datagram sent to {@code peer} (its fragments must fit one); 0 for an unknown peer. */
    public int maxDatagramBytes(long peer) {
        Link link = links.get(peer);
        return link == null ? 0 : link.maxDatagramBytes;
    }

    /** Frames waiting for acknowledgement, over all peers. */
    public long unacknowledged() {
        return links.values().stream().mapToLong(l -> l.send.unacknowledged()).sum();
    }

    /** Frames waiting for {@code peer}'s acknowledgement (0 for an unknown peer). */
    public int unacknowledged(long peer) {
        Link link = links.get(peer);
        return link == null ? 0 : link.send.unacknowledged();
    }

    /** A datagram of the data socket. */
    public void received(Datagram datagram, InetSocketAddress source) {
        Link link = links.get(datagram.sender());
        if (link == null) {
            if (links.size() >= MAX_RECEIVE_STREAMS) {
                return;
            }
            link = links.computeIfAbsent(datagram.sender(), k -> newLink(source));
        }
        long now = System.currentTimeMillis();
        boolean room = delivery.hasRoom();
        boolean acknowledged = false;
        for (Frame frame : datagram.frames()) {
            if (frame instanceof Frame.Data d) {
                if (!room) {
                    refused.incrementAndGet();
                    continue;
                }
                deliver(datagram.sender(), link.receive.accept(d));
                link.ackDue = true;
            } else if (frame instanceof Frame.Ack a) {
                link.send.acknowledged(a, now);
                acknowledged = true;
            } else if (frame instanceof Frame.Skip s) {
                deliver(datagram.sender(), link.receive.skipTo(s.through()));
                link.ackDue = true;
            }
        }
        if (link.ackDue || (acknowledged && link.send.hasNew())) {
            signal(); // an ack to send, or room in the window for frames that wait
        }
        if (acknowledged) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        synchronized (roomChanged) {
            if (waitingForRoom > 0) {
                roomChanged.notifyAll();
            }
        }
    }

    private void deliver(long peer, List<Frame.Data> frames) {
        for (Frame.Data d : frames) {
            delivered.incrementAndGet();
            delivery.delivered(peer, d);
        }
    }

    /**
     * Queues a flush on the socket's event loop, unless one is queued already: frames offered meanwhile go with it,
     * packed, and the datagrams are written on the loop itself (no hand-off to it per datagram).
     */
    private void signal() {
        if (flushQueued.compareAndSet(false, true)) {
            network.eventLoop().execute(this::flushNow);
        }
    }

    private void flushNow() {
        flushQueued.set(false);
        try {
            flush(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("glue: sending failed this round: {}", e.toString());
        }
    }

    /** Packs each peer's acknowledgements, any skip and its due frames into as few datagrams as fit. */
    private void flush(long now) {
        for (Link link : links.values()) {
            List<Frame> out = new ArrayList<>();
            if (link.ackDue) {
                link.ackDue = false;
                out.addAll(link.receive.acks());
            }
            long skip = link.send.skip();
            if (skip >= 0) {
                out.add(new Frame.Skip(skip));
            }
            out.addAll(link.send.due(now));
            int max = link.maxDatagramBytes;
            List<Frame> frames = new ArrayList<>();
            int bytes = network.overhead();
            for (Frame f : out) {
                if (bytes + f.encodedLength() > max && !frames.isEmpty()) {
                    network.writeData(link.address, new Datagram(instance, packetNumbers.incrementAndGet(), frames));
                    frames = new ArrayList<>();
                    bytes = network.overhead();
                }
                frames.add(f);
                bytes += f.encodedLength();
            }
            if (!frames.isEmpty()) {
                network.writeData(link.address, new Datagram(instance, packetNumbers.incrementAndGet(), frames));
            }
        }
        network.flushData();
    }

    /** Frames delivered in all. */
    public long delivered() {
        return delivered.get();
    }

    /** Data frames not taken because the receiver had no room (their senders resend them). */
    public long refused() {
        return refused.get();
    }

    /** Frames sent again, over all peers. */
    public long resends() {
        return links.values().stream().mapToLong(l -> l.send.resends()).sum();
    }

    @Override
    public void close() {
        timer.cancel(false);
    }
}
