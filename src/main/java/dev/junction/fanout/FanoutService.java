package dev.junction.fanout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fanout daemon ({@code fanout:ID}): the client server, its dispatcher, and whether this daemon leads. Shared by
 * the endpoints of one id: the consumer (Kafka side) drives the leadership, producers hand records to the dispatcher.
 * A daemon whose id has no consumer (a route that pushes to clients from elsewhere) always leads.
 */
public final class FanoutService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutService.class);

    private final FanoutConfiguration config;
    private final FanoutServer server;
    private final Dispatcher dispatcher;
    private final ExecutorService completer;
    private final String address;
    private volatile boolean electing;
    private volatile boolean leader;
    private volatile String leaderAddress = "";

    private FanoutService(FanoutConfiguration config) {
        this.config = config;
        this.server = new FanoutServer(config);
        this.completer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fanout-complete-" + config.getId());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Dispatcher(server.loop(), completer, config.getAckTimeoutMs(), config.getMaxRedeliveries(),
                config.getHeartbeatMs(), this::isLeader);
        server.bind(this);
        this.address = config.getAdvertisedAddress() == null || config.getAdvertisedAddress().isBlank()
                ? hostName() + ":" + server.port() : config.getAdvertisedAddress();
    }

    static FanoutService start(FanoutConfiguration config) {
        FanoutService service = new FanoutService(config);
        LOG.info("fanout {}: client server listening on {}:{} (clients connect to {})", config.getId(), config.getHost(),
                service.port(), service.address);
        return service;
    }

    FanoutConfiguration configuration() {
        return config;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The port the client server listens on (the configured one, or the free one it got for 0). */
    public int port() {
        return server.port();
    }

    /** host:port that clients are sent to when this daemon leads. */
    public String address() {
        return address;
    }

    public boolean isLeader() {
        return !electing || leader;
    }

    public String leaderAddress() {
        return isLeader() ? address : leaderAddress;
    }

    public int connectedClients() {
        return dispatcher.connectedClients();
    }

    /** Records at clients, not yet acknowledged. */
    public int inFlight() {
        return dispatcher.inFlight();
    }

    /** Records waiting for a client with room. */
    public int waiting() {
        return dispatcher.waiting();
    }

    public long delivered() {
        return dispatcher.delivered.get();
    }

    /** Deliveries that ended without an ACK (NACK, ack timeout, lost connection). */
    public long failedAttempts() {
        return dispatcher.failedAttempts.get();
    }

    public long protocolErrors() {
        return dispatcher.protocolErrors.get();
    }

    /** A consumer elects the leader from now on; until it wins, clients are redirected. */
    void electionStarted() {
        electing = true;
    }

    void leading(boolean nowLeading) {
        if (nowLeading == leader) {
            return;
        }
        synchronized (this) {
            leader = nowLeading;
            notifyAll();
        }
        if (nowLeading) {
            LOG.info("fanout {}: this daemon ({}) is the leader now", config.getId(), address);
        } else {
            LOG.info("fanout {}: this daemon is a follower now; clients go to the leader at {}", config.getId(),
                    leaderAddress.isEmpty() ? "(not known yet)" : leaderAddress);
            server.loop().execute(() -> dispatcher.redirectAll(leaderAddress));
        }
    }

    /** Waits until the leadership changes, at most {@code timeout}. */
    synchronized void awaitLeadershipChange(Duration timeout) {
        boolean before = leader;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (leader == before && System.nanoTime() < deadline) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void leaderAddress(String leader) {
        this.leaderAddress = leader == null ? "" : leader;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        server.close();
        completer.shutdown();
    }
}
