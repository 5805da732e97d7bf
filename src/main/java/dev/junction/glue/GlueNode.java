package dev.junction.glue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.junction.glue.discovery.Discovery;
import dev.junction.glue.discovery.Peer;
import dev.junction.glue.discovery.PeerListener;
import dev.junction.glue.fragment.Fragments;
import dev.junction.glue.fragment.Reassembler;
import dev.junction.glue.model.HybridLogicalClock;
import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.network.Inbound;
import dev.junction.glue.topics.GlueMessage;
import dev.junction.glue.topics.LatestMessages;
import dev.junction.glue.topics.Subscriptions;
import dev.junction.glue.transport.DatagramSize;
import dev.junction.glue.transport.ReliableTransport;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One glue endpoint, all layers together, as simple to use as the original's {@code NewManagerSimple()}:
 * {@link #start}, {@link #subscribe}, {@link #publish}, {@link #state}, {@link #stop}. A message goes, reliably and in
 * order per publisher, to every peer that subscribes to its topic and type; a peer that appears later gets the
 * latest unexpired message of each topic it subscribes to. (Named node, not endpoint, to keep it apart from Camel's
 * endpoints: the {@code glue:} component runs one node per Camel context.)
 * <p>
 * Flow control: a publish waits up to GLUE_MAX_BLOCKING_MILLISECONDS for room in a slow peer's stream, then skips
 * that peer for this message (counted); the other peers are never held up longer. On the receiving side, messages
 * wait in a bounded queue for the subscribers; while it is full, data is not acknowledged and stays with its senders.
 * <p>
 * Partitions: a peer that vanishes keeps its streams for GLUE_PARTITION_CACHE_MILLISECONDS, and what is published
 * for it meanwhile is queued (up to its stream's capacity); when it is heard again, all of that goes at once.
 */
public final class GlueNode implements AutoCloseable {

    /** The type of a state topic's messages (the model layer's writes). */
    public static final String STATE_TYPE = "glue.state";
    private static final Logger LOG = LoggerFactory.getLogger(GlueNode.class);
    /** Frames per peer waiting for acknowledgement at most: 8,192 fragments, about 10 MB on a LAN. */
    private static final int STREAM_CAPACITY = 8192;
    private static final long MIN_RESEND_MILLIS = 20;
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    private static final long REASSEMBLY_TIMEOUT_MILLIS = 30_000;
    /** Messages received and not yet handed to subscribers, at most (and bytes): beyond, senders hold their data. */
    private static final int DELIVERY_QUEUE_MESSAGES = 16_384;
    private static final long DELIVERY_QUEUE_BYTES = 64L * 1024 * 1024;

    private final GlueSettings settings;
    private final long instance = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final AtomicLong packetNumbers = new AtomicLong();
    private final AtomicLong messageIds = new AtomicLong();
    private final Subscriptions subscriptions = new Subscriptions();
    private final LatestMessages latest = new LatestMessages();
    private final HybridLogicalClock clock = new HybridLogicalClock();
    private final Map<String, GlueState> states = new ConcurrentHashMap<>();
    /** Peers discovery lost, whose streams are kept for a while (partition caching): instance to when they are dropped. */
    private final Map<Long, Absent> absent = new ConcurrentHashMap<>();
    private final DatagramSize datagramSize;
    private final Object sending = new Object();
    private final GlueCounters counters = new GlueCounters();
    private final LinkedBlockingQueue<GlueMessage> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread deliverer;
    private final ScheduledExecutorService housekeeping;
    private final Reassembler reassembler;
    private volatile boolean running = true;
    private GlueNetwork network;
    private Discovery discovery;
    private ReliableTransport transport;

    private record Absent(Peer peer, long dropAt) {
    }

    private GlueNode(GlueSettings settings) {
        this.settings = settings;
        this.datagramSize = new DatagramSize(settings.maxDatagramBytes(), DatagramSize.DEFAULT.loopbackBytes());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("glue-housekeeping-" + settings.endpointName()));
        this.reassembler = new Reassembler(GlueNetwork.MAX_DATAGRAM, MAX_MESSAGE_BYTES, 2L * MAX_MESSAGE_BYTES, REASSEMBLY_TIMEOUT_MILLIS);
        this.deliverer = daemon("glue-deliver-" + settings.endpointName()).newThread(this::deliverLoop);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Binds the sockets and starts discovery. */
    public static GlueNode start(GlueSettings settings) throws InterruptedException {
        GlueNode node = new GlueNode(settings);
        node.open();
        return node;
    }

    private void open() throws InterruptedException {
        network = GlueNetwork.start(settings.network(), instance, new Inbound() {
            @Override
            public void received(Datagram datagram, InetSocketAddress source, boolean isDiscovery) {
                if (isDiscovery) {
                    discovery.received(datagram, source);
                } else {
                    transport.received(datagram, source);
                }
            }

            @Override
            public void dropped(DropReason reason) {
                counters.drop(reason);
            }
        });
        transport = new ReliableTransport(network, instance, packetNumbers, new ReliableTransport.Delivery() {
            @Override
            public void delivered(long peer, Frame.Data fragment) {
                fragmentArrived(peer, fragment);
            }

            @Override
            public boolean hasRoom() {
                return queuedMessages.get() < DELIVERY_QUEUE_MESSAGES && queuedBytes.get() < DELIVERY_QUEUE_BYTES;
            }
        }, STREAM_CAPACITY, MIN_RESEND_MILLIS, datagramSize);
        deliverer.start();
        discovery = new Discovery(network, instance, settings.endpointId(), settings.endpointName(), settings.discoveryRateMillis(),
                settings.discoveryTimeoutMultiplier(), subscriptions::announced, packetNumbers, new Peers());
        discovery.start();
        housekeeping.scheduleWithFixedDelay(this::houseKeep, 1, 1, TimeUnit.SECONDS);
        LOG.info("glue: endpoint {} (id {}) on network {}, data port {}, discovery {}", settings.endpointName(), settings.endpointId(),
                settings.networkId(), network.dataPort(), settings.discoveryTarget() == null ? "rendezvous point on "
                        + network.discoveryAddress() : "to " + settings.discoveryTarget());
    }

    /**
     * Messages of {@code topic} and {@code type} go to {@code handler}, one at a time, in order per publisher, on
     * the endpoint's delivery thread (a slow handler holds back the others, then the publishers). Close the
     * returned subscription to stop.
     */
    public GlueSubscription subscribe(String topic, String type, Consumer<GlueMessage> handler) {
        subscriptions.add(topic, type, handler);
        discovery.announceNow();
        return () -> {
            subscriptions.remove(topic, type, handler);
            discovery.announceNow();
        };
    }

    /**
     * Publishes to every peer subscribed now (and to those absent for less than the partition cache); {@code expiry}
     * null or zero: never expires. Returns the peers it was queued for: a peer whose stream stayed full for
     * GLUE_MAX_BLOCKING_MILLISECONDS is skipped and counted.
     */
    public int publish(String topic, String type, Duration expiry, byte[] payload) {
        if (STATE_TYPE.equals(type)) {
            throw new IllegalArgumentException("type " + STATE_TYPE + " is the state's own: use state(topic)");
        }
        long expiresAt = expiry == null || expiry.isZero() ? 0 : System.currentTimeMillis() + expiry.toMillis();
        // One copy, shared by every peer's stream: the caller may reuse its array once this returns.
        LatestMessages.Published message = new LatestMessages.Published(topic, type, payload.clone(), expiresAt);
        latest.published(message);
        return publishToSubscribers(message);
    }

    /** Sends {@code message} to each live or absent peer that subscribes to its topic and type. */
    int publishToSubscribers(LatestMessages.Published message) {
        if (message.payload().length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("glue messages are at most " + MAX_MESSAGE_BYTES + " bytes, not " + message.payload().length);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.maxBlockingMillis());
        int queued = 0;
        for (Peer peer : discovery.peers()) {
            if (peer.subscribes(message.topic(), message.type()) && sendTo(peer.instance(), message, deadline)) {
                queued++;
            }
        }
        for (Absent a : absent.values()) {
            // Absent peers are never waited for: their acknowledgements cannot come until the partition heals.
            if (a.peer().subscribes(message.topic(), message.type()) && sendTo(a.peer().instance(), message, 0)) {
                queued++;
            }
        }
        return queued;
    }

    /** Queues a message's fragments for one peer, waiting until {@code deadlineNanos} (0: not at all) for room. */
    boolean sendTo(long peer, LatestMessages.Published m, long deadlineNanos) {
        int maxDatagram = transport.maxDatagramBytes(peer);
        if (maxDatagram == 0) {
            return false; // gone meanwhile
        }
        int fragmentBytes = maxDatagram - network.overhead() - new Frame.Data(0, 0, 0, 1, 0, m.topic(), m.type(), new byte[0]).encodedLength();
        List<byte[]> parts = Fragments.split(m.payload(), fragmentBytes);
        synchronized (sending) { // the room checked is the room used: fragments of two messages never interleave a full stream
            try {
                if (transport.room(peer) < parts.size()
                        && (deadlineNanos == 0 || !transport.awaitRoom(peer, parts.size(), deadlineNanos))) {
                    counters.fullStreams.increment();
                    LOG.debug("glue: the stream to {} is full; a message of {} is not queued for it", peer, m.topic());
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            long id = messageIds.incrementAndGet();
            for (int i = 0; i < parts.size(); i++) {
                transport.send(peer, id, i, parts.size(), m.expiresAt(), m.topic(), m.type(), parts.get(i));
            }
        }
        counters.messagesOut.increment();
        return true;
    }

    /**
     * The replicated key-value state of {@code topic} (the model layer), created and subscribed to on first use:
     * every endpoint that uses the same topic converges to the same entries.
     */
    public GlueState state(String topic) {
        return states.computeIfAbsent(topic, t -> {
            GlueState state = new GlueState(t, instance, clock, this::publishState);
            subscriptions.add(t, STATE_TYPE, state::received);
            discovery.announceNow();
            return state;
        });
    }

    private void publishState(String topic, byte[] writes) {
        publishToSubscribers(new LatestMessages.Published(topic, STATE_TYPE, writes, 0));
    }

    private void fragmentArrived(long peer, Frame.Data fragment) {
        Reassembler.Message whole = reassembler.accept(peer, fragment, System.currentTimeMillis());
        if (whole == null) {
            return;
        }
        Frame.Data first = whole.first();
        if (first.expiresAt() != 0 && first.expiresAt() < System.currentTimeMillis()) {
            counters.expiredOnArrival.increment();
            return;
        }
        Peer sender = discovery.peer(peer);
        Absent gone = sender == null ? absent.get(peer) : null;
        String name = sender != null ? sender.name() : gone != null ? gone.peer().name() : "?";
        queuedMessages.incrementAndGet();
        queuedBytes.addAndGet(whole.payload().length);
        deliveries.add(new GlueMessage(name, peer, first.topic(), first.type(), whole.payload(), first.expiresAt()));
    }

    private void deliverLoop() {
        while (running) {
            GlueMessage message;
            try {
                message = deliveries.take();
            } catch (InterruptedException e) {
                return;
            }
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-message.payload().length);
            counters.messagesIn.increment();
            try {
                subscriptions.dispatch(message);
            } catch (RuntimeException e) {
                LOG.warn("glue: a subscriber of {} failed: {}", message.topic(), e.toString(), e);
            }
        }
    }

    private void houseKeep() {
        long now = System.currentTimeMillis();
        reassembler.expire(now);
        absent.values().removeIf(a -> {
            if (a.dropAt() > now) {
                return false;
            }
            LOG.info("glue: {} dropped what it kept for {} (absent for longer than GLUE_PARTITION_CACHE_MILLISECONDS={})",
                    settings.endpointName(), a.peer().name(), settings.partitionCacheMillis());
            transport.disconnect(a.peer().instance());
            return true;
        });
    }

    /** Discovery's news: streams follow the peers; a peer gets the latest messages and the state snapshots it needs. */
    private final class Peers implements PeerListener {

        @Override
        public void joined(Peer peer) {
            Absent wasAbsent = absent.remove(peer.instance());
            transport.connect(peer.instance(), peer.dataAddress());
            if (wasAbsent != null) {
                LOG.info("glue: {} is back; what was kept for it goes now", peer.name());
                transport.resume(peer.instance());
            } else {
                sendLatest(peer, null);
            }
            // After a partition both sides hold writes the other missed: snapshots both ways make them converge.
            sendSnapshots(peer, null);
        }

        @Override
        public void changed(Peer before, Peer now) {
            transport.connect(now.instance(), now.dataAddress());
            sendLatest(now, before);
            sendSnapshots(now, before);
        }

        @Override
        public void left(Peer peer) {
            if (settings.partitionCacheMillis() > 0) {
                absent.put(peer.instance(), new Absent(peer, System.currentTimeMillis() + settings.partitionCacheMillis()));
            } else {
                transport.disconnect(peer.instance());
            }
        }

        /** The latest unexpired message of each topic {@code now} subscribes to and {@code before} (if any) did not. */
        private void sendLatest(Peer now, Peer before) {
            for (LatestMessages.Published m : latest.unexpired(System.currentTimeMillis())) {
                if (now.subscribes(m.topic(), m.type()) && (before == null || !before.subscribes(m.topic(), m.type()))) {
                    sendTo(now.instance(), m, 0);
                }
            }
        }

        private void sendSnapshots(Peer now, Peer before) {
            for (GlueState state : states.values()) {
                if (now.subscribes(state.topic(), STATE_TYPE) && (before == null || !before.subscribes(state.topic(), STATE_TYPE))) {
                    for (byte[] chunk : state.snapshotMessages()) {
                        sendTo(now.instance(), new LatestMessages.Published(state.topic(), STATE_TYPE, chunk, 0), 0);
                    }
                }
            }
        }
    }

    /** The peers discovery knows now (not the absent ones). */
    public Collection<Peer> peers() {
        return discovery.peers();
    }

    /** Peers lost whose streams are kept (partition caching). */
    public int absentPeers() {
        return absent.size();
    }

    public String name() {
        return settings.endpointName();
    }

    public GlueSettings settings() {
        return settings;
    }

    /** The port of the data socket. */
    public int dataPort() {
        return network.dataPort();
    }

    /** Another endpoint with this one's name, or null. */
    public String nameConflict() {
        return discovery.nameConflict();
    }

    /** What this endpoint has done so far, for metrics and health. */
    public GlueStatistics statistics() {
        List<DropReason> reasons = new ArrayList<>(List.of(DropReason.values()));
        Map<DropReason, Long> drops = new java.util.EnumMap<>(DropReason.class);
        reasons.forEach(r -> drops.put(r, counters.dropped(r)));
        return new GlueStatistics(discovery.peers().size(), absent.size(), counters.messagesIn.sum(), counters.messagesOut.sum(),
                network.datagramsIn(), network.bytesIn(), network.datagramsOut(), network.bytesOut(), transport.resends(),
                transport.refused(), reassembler.dropped(), reassembler.heldBytes(), counters.fullStreams.sum(),
                counters.expiredOnArrival.sum(), queuedMessages.get(), transport.unacknowledged(), drops,
                states.values().stream().mapToLong(GlueState::badWrites).sum(), network.handlerErrors());
    }

    /** The same as {@link #close}. */
    public void stop() {
        close();
    }

    @Override
    public void close() {
        running = false;
        discovery.close();
        transport.close();
        network.close();
        housekeeping.shutdownNow();
        deliverer.interrupt();
    }
}
