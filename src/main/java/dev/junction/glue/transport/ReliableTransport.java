package dev.junction.glue.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable streams between this endpoint and each peer, over the data socket. A flusher thread packs each peer's
 * due frames, its acknowledgement and any skip into datagrams of at most {@code maxDatagramBytes}: many small
 * messages travel in one datagram. Frames from a peer are delivered in order, once, to {@link Delivery}.
 */
public final class ReliableTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReliableTransport.class);
    /** Streams from senders at most: datagrams from more new senders than this are dropped, not buffered. */
    private static final int MAX_RECEIVE_STREAMS = 4096;
    private static final long FLUSH_EVERY_MILLIS = 5;
    /** Frames out unacknowledged per peer at most (about 700 KB of full fragments: several socket buffers' worth of small ones). */
    private static final int MAX_IN_FLIGHT = 512;

    /** Where delivered frames go, on the socket's thread, in order per peer. */
    public interface Delivery {
        void delivered(long peerInstance, Frame.Data frame);
    }

    /** One peer: where its data socket is, and both directions of the stream with it. */
    private static final class Link {
        volatile InetSocketAddress address;
        final SendStream send;
        final ReceiveStream receive;
        volatile boolean ackDue;

        Link(InetSocketAddress address, SendStream send, ReceiveStream receive) {
            this.address = address;
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
    private final int maxDatagramBytes;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread flusher;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean signalled;

    public ReliableTransport(GlueNetwork network, long instance, AtomicLong packetNumbers, Delivery delivery, int capacity,
            long minTimeoutMillis, int maxDatagramBytes) {
        this.network = network;
        this.instance = instance;
        this.packetNumbers = packetNumbers;
        this.delivery = delivery;
        this.capacity = capacity;
        this.minTimeoutMillis = minTimeoutMillis;
        this.maxDatagramBytes = maxDatagramBytes;
        this.flusher = new Thread(this::flushLoop, "glue-transport");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** A peer to talk to (discovery found it, or it changed address). */
    public void connect(long peer, InetSocketAddress dataAddress) {
        links.compute(peer, (k, link) -> {
            if (link == null) {
                return newLink(dataAddress);
            }
            link.address = dataAddress;
            return link;
        });
    }

    private Link newLink(InetSocketAddress address) {
        return new Link(address, new SendStream(capacity, MAX_IN_FLIGHT, minTimeoutMillis), new ReceiveStream(capacity));
    }

    /** A peer is gone: its streams and what they held are dropped. */
    public void disconnect(long peer) {
        links.remove(peer);
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
        for (Frame frame : datagram.frames()) {
            if (frame instanceof Frame.Data d) {
                deliver(datagram.sender(), link.receive.accept(d));
                link.ackDue = true;
            } else if (frame instanceof Frame.Ack a) {
                link.send.acknowledged(a, now);
            } else if (frame instanceof Frame.Skip s) {
                deliver(datagram.sender(), link.receive.skipTo(s.through()));
                link.ackDue = true;
            }
        }
        if (link.ackDue) {
            signal();
        }
    }

    private void deliver(long peer, List<Frame.Data> frames) {
        for (Frame.Data d : frames) {
            delivered.incrementAndGet();
            delivery.delivered(peer, d);
        }
    }

    private void signal() {
        if (!signalled) {
            lock.lock();
            try {
                signalled = true;
                work.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private void flushLoop() {
        while (running) {
            try {
                lock.lock();
                try {
                    if (!signalled) {
                        work.await(FLUSH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    signalled = false;
                } finally {
                    lock.unlock();
                }
                flush(System.currentTimeMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("glue: sending failed this round: {}", e.toString());
            }
        }
    }

    /** Packs each peer's due frames, its ack and any skip into as few datagrams as fit. */
    private void flush(long now) {
        for (Link link : links.values()) {
            List<Frame> frames = new ArrayList<>();
            int bytes = network.overhead();
            if (link.ackDue) {
                link.ackDue = false;
                Frame ack = link.receive.ack();
                frames.add(ack);
                bytes += ack.encodedLength();
            }
            long skip = link.send.skip();
            if (skip >= 0) {
                Frame s = new Frame.Skip(skip);
                frames.add(s);
                bytes += s.encodedLength();
            }
            for (Frame.Data d : link.send.due(now, Integer.MAX_VALUE)) {
                if (bytes + d.encodedLength() > maxDatagramBytes && !frames.isEmpty()) {
                    network.sendData(link.address, new Datagram(instance, packetNumbers.incrementAndGet(), frames));
                    frames = new ArrayList<>();
                    bytes = network.overhead();
                }
                frames.add(d);
                bytes += d.encodedLength();
            }
            if (!frames.isEmpty()) {
                network.sendData(link.address, new Datagram(instance, packetNumbers.incrementAndGet(), frames));
            }
        }
    }

    /** Frames delivered in all. */
    public long delivered() {
        return delivered.get();
    }

    /** Frames sent again, over all peers. */
    public long resends() {
        return links.values().stream().mapToLong(l -> l.send.resends()).sum();
    }

    @Override
    public void close() {
        running = false;
        flusher.interrupt();
    }
}
