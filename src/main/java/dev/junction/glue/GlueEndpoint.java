package dev.junction.glue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.junction.glue.discovery.Discovery;
import dev.junction.glue.discovery.Peer;
import dev.junction.glue.discovery.PeerListener;
import dev.junction.glue.fragment.Fragments;
import dev.junction.glue.fragment.Reassembler;
import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.network.Inbound;
import dev.junction.glue.topics.GlueMessage;
import dev.junction.glue.topics.LatestMessages;
import dev.junction.glue.topics.Subscriptions;
import dev.junction.glue.transport.ReliableTransport;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One glue endpoint, all layers together, as simple to use as the original's {@code NewManagerSimple()}:
 * {@link #start}, {@link #subscribe}, {@link #publish}, {@link #close}. A message goes, reliably and in order per
 * publisher, to every peer that subscribes to its topic and type; a peer that appears later gets the latest
 * unexpired message of each topic it subscribes to.
 */
public final class GlueEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GlueEndpoint.class);
    /** Datagrams at most this big: one Ethernet frame with room for IP and UDP headers. */
    private static final int MAX_DATAGRAM = 1400;
    /** Frames per peer waiting for acknowledgement at most: 8,192 fragments, about 10 MB. */
    private static final int STREAM_CAPACITY = 8192;
    private static final long MIN_RESEND_MILLIS = 20;
    private static final long MAX_MESSAGE_BYTES = 10L * 1024 * 1024;
    private static final long REASSEMBLY_TIMEOUT_MILLIS = 30_000;

    private final GlueSettings settings;
    private final long instance = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final AtomicLong packetNumbers = new AtomicLong();
    private final AtomicLong messageIds = new AtomicLong();
    private final Subscriptions subscriptions = new Subscriptions();
    private final LatestMessages latest = new LatestMessages();
    private final Map<DropReason, AtomicLong> drops = new ConcurrentHashMap<>();
    private final AtomicLong expiredOnArrival = new AtomicLong();
    private final AtomicLong fullStreams = new AtomicLong();
    private final ExecutorService deliveries;
    private final ScheduledExecutorService housekeeping;
    private final Reassembler reassembler;
    private GlueNetwork network;
    private Discovery discovery;
    private ReliableTransport transport;

    private GlueEndpoint(GlueSettings settings) {
        this.settings = settings;
        this.deliveries = Executors.newSingleThreadExecutor(daemon("glue-deliver-" + settings.endpointName()));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("glue-housekeeping-" + settings.endpointName()));
        this.reassembler = new Reassembler(MAX_DATAGRAM, MAX_MESSAGE_BYTES, 2 * MAX_MESSAGE_BYTES, REASSEMBLY_TIMEOUT_MILLIS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Binds the sockets and starts discovery. */
    public static GlueEndpoint start(GlueSettings settings) throws InterruptedException {
        GlueEndpoint e = new GlueEndpoint(settings);
        e.open();
        return e;
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
                drops.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
            }
        });
        transport = new ReliableTransport(network, instance, packetNumbers, this::fragmentArrived, STREAM_CAPACITY,
                MIN_RESEND_MILLIS, MAX_DATAGRAM);
        discovery = new Discovery(network, instance, settings.endpointId(), settings.endpointName(), settings.discoveryRateMillis(),
                settings.discoveryTimeoutMultiplier(), subscriptions::announced, packetNumbers, new Peers());
        discovery.start();
        housekeeping.scheduleWithFixedDelay(() -> reassembler.expire(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
        LOG.info("glue: endpoint {} (id {}) on network {}, data port {}, discovery {}", settings.endpointName(), settings.endpointId(),
                settings.networkId(), network.dataPort(), settings.discoveryTarget() == null ? "rendezvous point on "
                        + network.discoveryAddress() : "to " + settings.discoveryTarget());
    }

    /** Messages of {@code topic} and {@code type} go to {@code handler}, one at a time, in order per publisher. */
    public void subscribe(String topic, String type, Consumer<GlueMessage> handler) {
        subscriptions.add(topic, type, handler);
    }

    /**
     * Publishes to every peer subscribed now; {@code expiry} null or zero: never expires. Returns the peers it was
     * queued for; a peer whose stream is full (slow or gone) is skipped and counted.
     */
    public int publish(String topic, String type, Duration expiry, byte[] payload) {
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("glue messages are at most " + MAX_MESSAGE_BYTES + " bytes, not " + payload.length);
        }
        long expiresAt = expiry == null || expiry.isZero() ? 0 : System.currentTimeMillis() + expiry.toMillis();
        LatestMessages.Published message = new LatestMessages.Published(topic, type, payload, expiresAt);
        latest.published(message);
        int queued = 0;
        for (Peer peer : discovery.peers()) {
            if (peer.subscribes(topic, type) && sendTo(peer.instance(), message)) {
                queued++;
            }
        }
        return queued;
    }

    private boolean sendTo(long peer, LatestMessages.Published m) {
        int fragmentBytes = MAX_DATAGRAM - network.overhead() - new Frame.Data(0, 0, 0, 1, 0, m.topic(), m.type(), new byte[0]).encodedLength();
        List<byte[]> parts = Fragments.split(m.payload(), fragmentBytes);
        synchronized (this) { // the room checked is the room used: fragments of two messages never interleave a full stream
            if (transport.room(peer) < parts.size()) {
                fullStreams.incrementAndGet();
                LOG.debug("glue: the stream to {} is full; a message of {} is not queued for it", peer, m.topic());
                return false;
            }
            long id = messageIds.incrementAndGet();
            for (int i = 0; i < parts.size(); i++) {
                transport.send(peer, id, i, parts.size(), m.expiresAt(), m.topic(), m.type(), parts.get(i));
            }
        }
        return true;
    }

    private void fragmentArrived(long peer, Frame.Data fragment) {
        Reassembler.Message whole = reassembler.accept(peer, fragment, System.currentTimeMillis());
        if (whole == null) {
            return;
        }
        Frame.Data first = whole.first();
        if (first.expiresAt() != 0 && first.expiresAt() < System.currentTimeMillis()) {
            expiredOnArrival.incrementAndGet();
            return;
        }
        String name = discovery.peers().stream().filter(p -> p.instance() == peer).map(Peer::name).findFirst().orElse("?");
        GlueMessage message = new GlueMessage(name, peer, first.topic(), first.type(), whole.payload(), first.expiresAt());
        deliveries.execute(() -> {
            try {
                subscriptions.dispatch(message);
            } catch (RuntimeException e) {
                LOG.warn("glue: a subscriber of {} failed: {}", message.topic(), e.toString(), e);
            }
        });
    }

    /** Discovery's news: streams follow the peers, and a peer gets the latest messages of what it subscribes to. */
    private final class Peers implements PeerListener {

        @Override
        public void joined(Peer peer) {
            transport.connect(peer.instance(), peer.dataAddress());
            sendLatest(peer);
        }

        @Override
        public void changed(Peer before, Peer now) {
            transport.connect(now.instance(), now.dataAddress());
            // Subscriptions it did not have before get their latest message, as a joiner's do.
            for (LatestMessages.Published m : latest.unexpired(System.currentTimeMillis())) {
                if (now.subscribes(m.topic(), m.type()) && !before.subscribes(m.topic(), m.type())) {
                    sendTo(now.instance(), m);
                }
            }
        }

        @Override
        public void left(Peer peer) {
            transport.disconnect(peer.instance());
        }

        private void sendLatest(Peer peer) {
            for (LatestMessages.Published m : latest.unexpired(System.currentTimeMillis())) {
                if (peer.subscribes(m.topic(), m.type())) {
                    sendTo(peer.instance(), m);
                }
            }
        }
    }

    public Collection<Peer> peers() {
        return discovery.peers();
    }

    public String name() {
        return settings.endpointName();
    }

    /** Messages not queued for a peer because its stream was full. */
    public long fullStreams() {
        return fullStreams.get();
    }

    /** Messages that arrived after their expiry, and were not delivered. */
    public long expiredOnArrival() {
        return expiredOnArrival.get();
    }

    /** Datagrams dropped, by reason. */
    public long dropped(DropReason reason) {
        AtomicLong n = drops.get(reason);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        discovery.close();
        transport.close();
        network.close();
        housekeeping.shutdownNow();
        deliveries.shutdown();
    }
}
