package dev.junction.glue.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.network.Inbound;
import dev.junction.glue.network.NetworkSettings;
import dev.junction.glue.transport.DatagramSize;
import dev.junction.glue.transport.ReliableTransport;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import org.junit.jupiter.api.Test;

/** Messages larger than a datagram: split, carried over a lossy real socket, put together again; incomplete sets never leak. */
class FragmentationTest {

    private static final int FRAGMENT = 1300;

    @Test
    void aTenMegabyteMessageCrossesTenPercentLossWhole() throws Exception {
        byte[] message = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(message);
        List<byte[]> parts = Fragments.split(message, FRAGMENT);
        Reassembler reassembler = new Reassembler(FRAGMENT, 16 * 1024 * 1024, 32 * 1024 * 1024, 30_000);
        List<Reassembler.Message> whole = new CopyOnWriteArrayList<>();
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        long a = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        long b = a + 1;
        AtomicReference<ReliableTransport> ta = new AtomicReference<>();
        AtomicReference<ReliableTransport> tb = new AtomicReference<>();
        try (GlueNetwork na = GlueNetwork.start(new NetworkSettings("net-f", null, lo, null, lo, lo), a, lossy(ta));
             GlueNetwork nb = GlueNetwork.start(new NetworkSettings("net-f", null, lo, null, lo, lo), b, lossy(tb))) {
            ta.set(new ReliableTransport(na, a, new AtomicLong(), (peer, f) -> { }, parts.size() + 10, 20, DatagramSize.fixed(1400)));
            tb.set(new ReliableTransport(nb, b, new AtomicLong(), (peer, f) -> {
                Reassembler.Message m = reassembler.accept(peer, f, System.currentTimeMillis());
                if (m != null) {
                    whole.add(m);
                }
            }, parts.size() + 10, 20, DatagramSize.fixed(1400)));
            ta.get().connect(b, new InetSocketAddress(InetAddress.getLoopbackAddress(), nb.dataPort()));
            tb.get().connect(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), na.dataPort()));
            for (int i = 0; i < parts.size(); i++) {
                assertThat(ta.get().send(b, 77, i, parts.size(), 0, "files", "blob", parts.get(i))).isTrue();
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> !whole.isEmpty());
            assertThat(whole).hasSize(1);
            assertThat(whole.get(0).payload()).isEqualTo(message);
            assertThat(reassembler.incomplete()).isZero();
            assertThat(reassembler.heldBytes()).isZero();
        } finally {
            if (ta.get() != null) {
                ta.get().close();
            }
            if (tb.get() != null) {
                tb.get().close();
            }
        }
    }

    private static Inbound lossy(AtomicReference<ReliableTransport> transport) {
        return new Inbound() {
            @Override
            public void received(Datagram datagram, InetSocketAddress source, boolean discovery) {
                if (!discovery && transport.get() != null && ThreadLocalRandom.current().nextDouble() >= 0.10) {
                    transport.get().received(datagram, source);
                }
            }

            @Override
            public void dropped(DropReason reason) {
            }
        };
    }

    private static Frame.Data fragment(long messageId, int index, int count, int bytes) {
        return new Frame.Data(index, messageId, index, count, 0, "t", "x", new byte[bytes]);
    }

    @Test
    void incompleteSetsAreDroppedAfterTheTimeoutAndTheHeldBytesAreBounded() {
        Reassembler r = new Reassembler(FRAGMENT, 10 * FRAGMENT, 5 * FRAGMENT, 1_000);
        assertThat(r.accept(1, fragment(1, 0, 3, FRAGMENT), 0)).isNull();
        assertThat(r.accept(1, fragment(1, 2, 3, FRAGMENT), 10)).isNull();
        assertThat(r.incomplete()).isEqualTo(1);
        assertThat(r.expire(500)).isZero();
        assertThat(r.expire(1_001)).isEqualTo(1);
        assertThat(r.incomplete()).isZero();
        assertThat(r.heldBytes()).isZero();
        // Beyond 5 fragments' worth held, the oldest sets go first.
        for (long m = 10; m < 20; m++) {
            r.accept(1, fragment(m, 0, 2, FRAGMENT), 2_000);
        }
        assertThat(r.heldBytes()).isLessThanOrEqualTo(5 * FRAGMENT);
        assertThat(r.accept(1, fragment(19, 1, 2, FRAGMENT), 2_000)).as("the newest set is still there").isNotNull();
        // A set that claims more than the largest message is never buffered.
        assertThat(r.accept(1, fragment(30, 0, 1_000, FRAGMENT), 2_000)).isNull();
        assertThat(r.incomplete()).isLessThanOrEqualTo(5);
    }

    @Test
    void splittingKeepsEveryByteInOrder() {
        assertThat(Fragments.split(new byte[0], 10)).hasSize(1);
        byte[] data = new byte[25];
        new Random(1).nextBytes(data);
        List<byte[]> parts = Fragments.split(data, 10);
        assertThat(parts).extracting(p -> p.length).containsExactly(10, 10, 5);
    }
}
