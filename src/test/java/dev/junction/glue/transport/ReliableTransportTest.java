package dev.junction.glue.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.network.Inbound;
import dev.junction.glue.network.NetworkSettings;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Two endpoints on real UDP sockets, each dropping a share of the datagrams it receives (a drop hook on the network
 * layer's inbound side, so acks are lost as well as data): every message arrives exactly once, in order.
 */
class ReliableTransportTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** An endpoint whose inbound side drops each datagram with probability {@code loss} (changeable). */
    private static final class Side {
        final long instance = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        final List<Frame.Data> received = new CopyOnWriteArrayList<>();
        volatile double loss;
        GlueNetwork network;
        ReliableTransport transport;
    }

    private Side side(double loss) throws Exception {
        Side s = new Side();
        s.loss = loss;
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        s.network = GlueNetwork.start(new NetworkSettings("net-r", null, lo, null, lo, lo), s.instance, new Inbound() {
            @Override
            public void received(Datagram datagram, InetSocketAddress source, boolean discovery) {
                if (!discovery && ThreadLocalRandom.current().nextDouble() >= s.loss) {
                    s.transport.received(datagram, source);
                }
            }

            @Override
            public void dropped(DropReason reason) {
            }
        });
        s.transport = new ReliableTransport(s.network, s.instance, new AtomicLong(), (peer, frame) -> s.received.add(frame),
                8192, 20, DatagramSize.fixed(1400));
        started.add(s.transport);
        started.add(s.network);
        return s;
    }

    private static void join(Side a, Side b) {
        a.transport.connect(b.instance, new InetSocketAddress(InetAddress.getLoopbackAddress(), b.network.dataPort()));
        b.transport.connect(a.instance, new InetSocketAddress(InetAddress.getLoopbackAddress(), a.network.dataPort()));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @ParameterizedTest(name = "{0}% loss")
    @ValueSource(ints = {0, 10, 30})
    void everyMessageArrivesOnceInOrderDespiteLoss(int lossPercent) throws Exception {
        Side a = side(lossPercent / 100.0);
        Side b = side(lossPercent / 100.0);
        join(a, b);
        int total = 5_000;
        for (int i = 0; i < total; i++) {
            assertThat(a.transport.send(b.instance, i, 0, 1, 0, "some_topic", "some_type", ("m-" + i).getBytes())).isTrue();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> b.received.size() >= total);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.transport.unacknowledged(b.instance) == 0);
        assertThat(b.received).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(b.received.get(i).messageId()).as("message %d in order, once", i).isEqualTo(i);
            assertThat(new String(b.received.get(i).payload())).isEqualTo("m-" + i);
        }
        if (lossPercent > 0) {
            assertThat(a.transport.resends()).as("losses were made good by resending").isPositive();
        }
    }

    @Test
    void expiredMessagesAreNotDeliveredAndDoNotHoldBackLaterOnes() throws Exception {
        Side a = side(0);
        Side b = side(1.0); // b hears nothing for now
        join(a, b);
        long soon = System.currentTimeMillis() + 300;
        for (int i = 0; i < 100; i++) {
            assertThat(a.transport.send(b.instance, i, 0, 1, soon, "t", "x", new byte[8])).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.transport.unacknowledged(b.instance) == 0);
        b.loss = 0;
        for (int i = 100; i < 200; i++) {
            assertThat(a.transport.send(b.instance, i, 0, 1, 0, "t", "x", new byte[8])).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() >= 100);
        assertThat(b.received).extracting(Frame.Data::messageId).as("only the unexpired, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(100, 200).boxed().toList());
    }

    @Test
    void aFullStreamRefusesMoreInsteadOfGrowing() throws Exception {
        Side a = side(0);
        Side gone = side(1.0);
        join(a, gone);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (a.transport.send(gone.instance, i, 0, 1, 0, "t", "x", new byte[8])) {
                accepted++;
            }
        }
        assertThat(accepted).as("the stream's bounded buffer").isEqualTo(8192);
    }
}
