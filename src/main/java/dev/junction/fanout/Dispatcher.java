package dev.junction.fanout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.junction.fanout.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which client gets each record, and what happens when a client acknowledges, refuses, goes silent or
 * goes away. All of its state lives on one Netty event loop (the one every client connection runs on), so it
 * needs no locks: other threads hand it work with {@link #submit}.
 * <p>
 * A record is in flight at one client at a time. A NACK, no ACK within the ack timeout, or a lost connection
 * sends it again, to a client that has not had it yet when there is one; after {@code maxRedeliveries} such
 * deliveries its exchange fails with {@link FanoutDeliveryException}, and the route's error handler dead-letters it.
 * (The redelivery is done here rather than by Camel's error handler: that one keeps a copy of every exchange in case
 * it fails, which cost a tenth of the daemon's time, and here the record stays on this thread.)
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** How often in-flight records are checked against the ack timeout. */
    private static final long SWEEP_MS = 20;
    /** How long a CLOSE frame may take to leave before the connection is closed without it. */
    private static final long CLOSE_GRACE_MS = 1000;
    private static final String ANY_GROUP = "";
    /** The group of a client whose HELLO names none. */
    static final String DEFAULT_GROUP = "stable";

    private final EventLoop loop;
    /**
     * Runs the consumer's bookkeeping of each acknowledged record and finishes exchanges (the rest of the route) on a
     * thread of its own: on the loop, that work would compete with the network for the one thread that serves every
     * client.
     */
    private final BatchedHandOff<Runnable> completions;
    /** Batches from the route's threads, taken by the loop in turns (one task each would wake it each time). */
    private final BatchedHandOff<DeliveryBatch> incoming;
    private final long ackTimeoutNanos;
    private final int maxRedeliveries;
    private final BooleanSupplier leading;
    private final List<ClientSession> sessions = new ArrayList<>();
    private final Map<String, Integer> cursors = new HashMap<>();
    /** Records no client had room for, per group, oldest first. */
    private final Map<String, ArrayDeque<Delivery>> waiting = new HashMap<>();
    private long nextDeliveryId = 1;
    private long nextSessionNumber = 1;

    // Read by other threads (metrics, the consumer's pause decision); written on the loop.
    private volatile int connected;
    private volatile int inFlight;
    private volatile int waitingCount;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();

    Dispatcher(EventLoop loop, Executor completer, long ackTimeoutMs, int maxRedeliveries, long heartbeatMs,
               BooleanSupplier leading) {
        this.loop = loop;
        this.completions = new BatchedHandOff<>(completer, Runnable::run);
        this.incoming = new BatchedHandOff<>(loop, batch -> batch.deliveries.forEach(this::place));
        this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMs);
        this.maxRedeliveries = maxRedeliveries;
        this.leading = leading;
        loop.scheduleWithFixedDelay(this::expireUnacknowledged, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
        loop.scheduleAtFixedRate(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
    }

    int connectedClients() {
        return connected;
    }

    int inFlight() {
        return inFlight;
    }

    int waiting() {
        return waitingCount;
    }

    /** From any thread: find a client for each record of the batch (now, or when one has room). */
    void submit(DeliveryBatch batch) {
        incoming.add(batch);
    }

    /** A client said HELLO and was accepted: it takes records from now on. */
    ClientSession open(Channel channel, Frame.Hello hello) {
        ClientSession session = new ClientSession(nextSessionNumber++, channel, hello.clientName(),
                hello.group().isBlank() ? DEFAULT_GROUP : hello.group(), hello.maxInFlight());
        sessions.add(session);
        connected = sessions.size();
        LOG.info("fanout: {} connected (group '{}', max in flight {})", session, session.group, session.maxInFlight);
        fill();
        return session;
    }

    /** The connection of {@code session} is gone: what it held goes to other clients. */
    void closed(ClientSession session, String reason) {
        if (!sessions.remove(session)) {
            return;
        }
        connected = sessions.size();
        List<Delivery> held = new ArrayList<>(session.inFlight.values());
        session.inFlight.clear();
        inFlight -= held.size();
        LOG.info("fanout: {} disconnected ({}); {} record(s) it held go to other clients", session, reason, held.size());
        for (Delivery d : held) {
            fail(d, session + " disconnected before it acknowledged (" + reason + ")");
        }
        fill(); // records waiting for this client's group may go to the others now
    }

    void acknowledged(ClientSession session, long id) {
        Delivery d = session.inFlight.remove(id);
        if (d == null) {
            violation(session, "ACK for delivery " + id + ", which is not in flight at this client");
            return;
        }
        inFlight--;
        delivered.incrementAndGet();
        if (d.record.whenAcknowledged != null) {
            completions.add(d.record.whenAcknowledged);
        }
        if (d.batch.acknowledged()) {
            complete(d.batch);
        }
        fill();
    }

    void refused(ClientSession session, long id, String reason) {
        Delivery d = session.inFlight.remove(id);
        if (d == null) {
            violation(session, "NACK for delivery " + id + ", which is not in flight at this client");
            return;
        }
        inFlight--;
        fail(d, session + " refused it: " + reason);
        fill();
    }

    /** This daemon stopped leading: every client is sent to the leader, and records not yet placed are let go. */
    void redirectAll(String leader) {
        for (ClientSession session : List.copyOf(sessions)) {
            session.channel.writeAndFlush(new Frame.Redirect(leader)).addListener(ChannelFutureListener.CLOSE);
        }
        abandonWaiting();
    }

    /** A client broke the protocol: it is told why and disconnected; its records go to other clients. */
    void violation(ClientSession session, String reason) {
        protocolErrors.incrementAndGet();
        LOG.warn("fanout: closing the connection of {}: {}", session, reason);
        session.channel.writeAndFlush(new Frame.Close(reason)).addListener(ChannelFutureListener.CLOSE);
        // A client that does not read never lets that CLOSE out: its connection goes anyway, a moment later.
        loop.schedule(() -> session.channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        closed(session, reason);
    }

    private void place(Delivery d) {
        if (!leading.getAsBoolean()) {
            abandon(d);
            return;
        }
        ClientSession session = choose(d);
        if (session == null) {
            waiting.computeIfAbsent(d.batch.group, g -> new ArrayDeque<>()).add(d);
            waitingCount++;
        } else {
            send(session, d);
        }
    }

    /** Hands waiting records to clients that have room, oldest first within each group. */
    private void fill() {
        for (ArrayDeque<Delivery> queue : waiting.values()) {
            while (!queue.isEmpty()) {
                ClientSession session = choose(queue.peek());
                if (session == null) {
                    break;
                }
                send(session, queue.poll());
                waitingCount--;
            }
        }
    }

    /**
     * Round robin among the clients of the record's group (all clients when none of that group is connected) that
     * have room and have not had the record yet. When every client of the group had it, another client that has not,
     * else one of the group again. Null: wait until a client of the group has room, so that a busy group's share
     * does not leak to the others and the split holds under load.
     */
    private ClientSession choose(Delivery d) {
        Set<Long> tried = d.tried;
        String group = hasClientsOf(d.batch.group) ? d.batch.group : ANY_GROUP;
        ClientSession chosen = pick(group, tried);
        if (chosen == null && !tried.isEmpty() && allTried(group, tried)) {
            chosen = pick(ANY_GROUP, tried);
            if (chosen == null) {
                chosen = pick(group, Set.of());
            }
        }
        return chosen;
    }

    private boolean hasClientsOf(String group) {
        if (group.isEmpty()) {
            return false;
        }
        for (ClientSession s : sessions) {
            if (group.equals(s.group)) {
                return true;
            }
        }
        return false;
    }

    private boolean allTried(String group, Set<Long> tried) {
        for (ClientSession s : sessions) {
            if ((group.isEmpty() || group.equals(s.group)) && !tried.contains(s.number)) {
                return false;
            }
        }
        return true;
    }

    private ClientSession pick(String group, Set<Long> tried) {
        int n = sessions.size();
        int start = cursors.getOrDefault(group, 0);
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            ClientSession s = sessions.get(index);
            if ((group.isEmpty() || group.equals(s.group)) && !tried.contains(s.number) && s.hasRoom()) {
                cursors.put(group, index + 1);
                return s;
            }
        }
        return null;
    }

    private void send(ClientSession session, Delivery d) {
        long id = nextDeliveryId++;
        d.session = session;
        d.sentAtNanos = System.nanoTime();
        session.inFlight.put(id, d);
        inFlight++;
        FanoutRecord r = d.record;
        int attempt = d.failures + 1;
        session.deliveries.write(new Frame.Deliver(id, r.getTopic(), r.getPartition(), r.getOffset(), attempt,
                r.getKey(), r.getHeaders(), r.getValue()));
    }

    /** The delivery at {@code d.session} ended without an ACK: the record goes out again, or its exchange fails. */
    private void fail(Delivery d, String reason) {
        d.tried.add(d.session.number);
        d.session = null;
        d.failures++;
        failedAttempts.incrementAndGet();
        if (d.failures <= maxRedeliveries) {
            LOG.debug("fanout: delivering {} again: {}", d.record, reason);
            place(d);
        } else if (d.batch.gaveUp(d.record, d.record + " not acknowledged after " + d.failures
                + " deliveries (fanout.max-redeliveries " + maxRedeliveries + "); the last: " + reason)) {
            complete(d.batch);
        }
    }

    /** Every record of the batch is settled: its exchange goes on, on the completion thread. */
    private void complete(DeliveryBatch batch) {
        batch.settle();
        completions.add(() -> batch.callback.done(false));
    }

    /** Every client hears from the daemon at least once per heartbeat interval, busy or not. */
    private void heartbeat() {
        for (ClientSession session : sessions) {
            session.channel.writeAndFlush(new Frame.Heartbeat(), session.channel.voidPromise());
        }
    }

    /** A client that holds a record past the ack timeout is cut off: it is stuck, slow, or on the far side of a partition. */
    private void expireUnacknowledged() {
        long now = System.nanoTime();
        for (ClientSession session : List.copyOf(sessions)) {
            Map.Entry<Long, Delivery> oldest = session.inFlight.entrySet().stream().findFirst().orElse(null);
            if (oldest != null && now - oldest.getValue().sentAtNanos > ackTimeoutNanos) {
                violation(session, "no ACK for delivery " + oldest.getKey() + " within "
                        + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms (fanout.ack-timeout-ms)");
            }
        }
    }

    private void abandonWaiting() {
        List<Delivery> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        waitingCount = 0;
        all.forEach(this::abandon);
    }

    /** Not the leader: the record stays uncommitted in Kafka, and the leader delivers it. */
    private void abandon(Delivery d) {
        if (d.batch.abandoned()) {
            complete(d.batch);
        }
    }
}
