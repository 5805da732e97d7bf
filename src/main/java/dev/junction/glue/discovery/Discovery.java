package dev.junction.glue.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this endpoint and keeps the table of peers. With multicast every endpoint hears every announcement;
 * in rendezvous mode the others announce to the rendezvous point, which answers each announcement with the
 * announcements of every peer it knows (data addresses filled in), so they learn of each other through it.
 */
public final class Discovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    /** Announcements relayed per datagram: well under one Ethernet frame for short names. */
    private static final int RELAYED_PER_DATAGRAM = 8;

    private final GlueNetwork network;
    private final long instance;
    private final int endpointId;
    private final String name;
    private final int rateMillis;
    private final int timeoutMultiplier;
    private final Supplier<List<Frame.Subscription>> subscriptions;
    private final PeerListener listener;
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong packetNumbers;
    private final ScheduledExecutorService timer;
    private volatile String nameConflict;

    /**
     * {@code packetNumbers}: the endpoint's one counter of datagrams sent (discovery and data share it, for the
     * replay window). {@code subscriptions}: what this endpoint subscribes to now, read at each announcement.
     */
    public Discovery(GlueNetwork network, long instance, int endpointId, String name, int rateMillis, int timeoutMultiplier,
            Supplier<List<Frame.Subscription>> subscriptions, AtomicLong packetNumbers, PeerListener listener) {
        this.network = network;
        this.instance = instance;
        this.endpointId = endpointId;
        this.name = name;
        this.rateMillis = rateMillis;
        this.timeoutMultiplier = timeoutMultiplier;
        this.subscriptions = subscriptions;
        this.packetNumbers = packetNumbers;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "glue-discovery-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts announcing (at once, then every rate) and expiring peers. */
    public void start() {
        timer.scheduleAtFixedRate(this::tick, 0, rateMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            if (!network.settings().rendezvousPoint()) {
                network.sendDiscovery(network.settings().discoveryTarget(), datagram(List.of(ownAnnouncement())));
            }
            expire(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("glue: discovery of {} failed this round: {}", name, e.toString());
        }
    }

    private Frame.Announce ownAnnouncement() {
        return new Frame.Announce(instance, endpointId, name, new byte[0], network.dataPort(), rateMillis, timeoutMultiplier,
                subscriptions.get());
    }

    private Datagram datagram(List<Frame> frames) {
        return new Datagram(instance, packetNumbers.incrementAndGet(), frames);
    }

    /** Announces now, out of turn (this endpoint's subscriptions changed). */
    public void announceNow() {
        try {
            timer.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing to announce
        }
    }

    /** The peer of {@code instance}, or null. */
    public Peer peer(long instance) {
        return peers.get(instance);
    }

    /** Every peer known now. */
    public Collection<Peer> peers() {
        return List.copyOf(peers.values());
    }

    /** The other endpoint found with this endpoint's own name, or null: names must be unique on a network. */
    public String nameConflict() {
        return nameConflict;
    }

    /** A datagram of the discovery socket: its announcements, first-hand or relayed by the rendezvous point. */
    public void received(Datagram datagram, InetSocketAddress source) {
        boolean answered = false;
        for (Frame frame : datagram.frames()) {
            if (!(frame instanceof Frame.Announce a) || a.instance() == instance) {
                continue;
            }
            boolean firstHand = a.instance() == datagram.sender();
            InetSocketAddress data = dataAddress(a, source);
            if (data == null) {
                continue;
            }
            heard(a, data);
            if (firstHand && network.settings().rendezvousPoint() && !answered) {
                answer(source, a.instance());
                answered = true;
            }
        }
    }

    private static InetSocketAddress dataAddress(Frame.Announce a, InetSocketAddress source) {
        if (a.dataAddress().length == 0) {
            return new InetSocketAddress(source.getAddress(), a.dataPort());
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a.dataAddress()), a.dataPort());
        } catch (UnknownHostException e) {
            return null; // only a length other than 4 or 16 gets here, and the codec refuses those
        }
    }

    private void heard(Frame.Announce a, InetSocketAddress data) {
        if (a.endpointName().equals(name) && nameConflict == null) {
            nameConflict = a.endpointName() + " at " + data;
            LOG.error("glue: another endpoint on network {} is also named {} (at {}); give each endpoint its own"
                    + " GLUE_ENDPOINT_NAME", network.settings().networkId(), name, data);
        }
        long expiresAt = System.currentTimeMillis() + (long) a.rateMillis() * a.timeoutMultiplier();
        Peer peer = new Peer(a.instance(), a.endpointId(), a.endpointName(), data, a.subscriptions(), a.rateMillis(),
                a.timeoutMultiplier(), expiresAt);
        Peer before = peers.put(a.instance(), peer);
        if (before == null) {
            LOG.info("glue: {} found peer {} (id {}) at {}, subscribing to {}", name, a.endpointName(), a.endpointId(), data,
                    a.subscriptions());
            listener.joined(peer);
        } else if (!before.dataAddress().equals(data) || !before.subscriptions().equals(peer.subscriptions())) {
            listener.changed(before, peer);
        }
    }

    /** The rendezvous point's answer: itself and every other peer it knows, a few announcements per datagram. */
    private void answer(InetSocketAddress to, long asker) {
        List<Frame> frames = new ArrayList<>();
        frames.add(ownAnnouncement());
        for (Peer p : peers.values()) {
            if (p.instance() == asker) {
                continue;
            }
            frames.add(new Frame.Announce(p.instance(), p.endpointId(), p.name(), p.dataAddress().getAddress().getAddress(),
                    p.dataAddress().getPort(), p.rateMillis(), p.timeoutMultiplier(), p.subscriptions()));
            if (frames.size() == RELAYED_PER_DATAGRAM) {
                network.sendDiscovery(to, datagram(frames));
                frames = new ArrayList<>();
            }
        }
        if (!frames.isEmpty()) {
            network.sendDiscovery(to, datagram(frames));
        }
    }

    private void expire(long now) {
        for (Peer p : peers.values()) {
            if (p.expiresAt() < now && peers.remove(p.instance(), p)) {
                LOG.info("glue: {} lost peer {} (not heard of for {} ms)", name, p.name(), (long) p.rateMillis() * p.timeoutMultiplier());
                network.forget(p.instance());
                listener.left(p);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
