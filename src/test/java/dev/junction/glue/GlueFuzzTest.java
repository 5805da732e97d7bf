package dev.junction.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.glue.topics.GlueMessage;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DatagramCodec;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import dev.junction.infra.Ports;
import org.junit.jupiter.api.Test;

/**
 * Bad input at a whole endpoint of a keyed network (GLUE_NETWORK_KEY): 100,000 random, truncated, oversized, wrongly
 * keyed, damaged and replayed datagrams at its data and discovery sockets while real traffic flows. Nothing escapes
 * as an error, every bad datagram is dropped and counted by reason, memory held stays bounded, and every real
 * message arrives once, in order.
 */
class GlueFuzzTest {

    private static final String NETWORK = "fuzz";
    private static final String KEY = "a shared secret of the fuzz network";

    private static GlueNode node(String name, int rendezvousPort, boolean rendezvous, String key) throws InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("GLUE_NETWORK_ID", NETWORK);
        env.put("GLUE_NETWORK_KEY", key);
        env.put("GLUE_ENDPOINT_NAME", name);
        env.put("GLUE_LISTEN_ADDRESS", "127.0.0.1:0");
        env.put("GLUE_DISCOVERY_RATE_MILLISECONDS", "100");
        env.put("GLUE_DISCOVERY_LISTEN_ADDRESS", "127.0.0.1:" + rendezvousPort);
        env.put("GLUE_DISCOVERY_TARGET_ADDRESS", rendezvous ? "0" : "127.0.0.1:" + rendezvousPort);
        return GlueNode.start(GlueSettings.from(env));
    }

    @Test
    void badDatagramsAreDroppedAndCountedWhileRealTrafficFlows() throws Exception {
        int port = Ports.freePort();
        List<GlueMessage> got = new CopyOnWriteArrayList<>();
        try (GlueNode target = node("target", port, true, KEY); GlueNode publisher = node("publisher", port, false, KEY);
             GlueNode intruder = node("intruder", port, false, "not the key"); DatagramSocket fuzzer = new DatagramSocket()) {
            target.subscribe("readings", "r", got::add);
            intruder.subscribe("readings", "r", m -> { });
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.peers().stream().anyMatch(p -> p.subscribes("readings", "r")));
            assertThat(target.peers()).as("the endpoint without the key is never a peer").extracting(p -> p.name()).containsExactly("publisher");

            Thread traffic = new Thread(() -> {
                for (int i = 0; i < 3_000; i++) {
                    publisher.publish("readings", "r", null, ("reading " + i).getBytes(StandardCharsets.UTF_8));
                }
                byte[] big = new byte[1024 * 1024];
                new Random(1).nextBytes(big);
                publisher.publish("readings", "r", null, big);
            }, "real-traffic");
            traffic.start();

            InetSocketAddress data = new InetSocketAddress(InetAddress.getLoopbackAddress(), target.dataPort());
            InetSocketAddress discovery = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            Counts sent = fuzz(fuzzer, data, discovery, 100_000, target);
            traffic.join();

            await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == 3_001);
            for (int i = 0; i < 3_000; i++) {
                assertThat(new String(got.get(i).payload(), StandardCharsets.UTF_8)).isEqualTo("reading " + i);
            }
            assertThat(got.get(3_000).payload()).hasSize(1024 * 1024);

            GlueStatistics s = target.statistics();
            assertThat(s.handlerErrors()).as("no exception escaped the decoder or the layers above").isZero();
            assertThat(s.dropped(DropReason.REPLAYED)).as("replays").isGreaterThanOrEqualTo(sent.replayed);
            // Wrongly keyed, damaged and truncated ones fail the MAC (the intruder's announcements too).
            assertThat(s.dropped(DropReason.MAC)).isGreaterThanOrEqualTo(sent.wrongKey + sent.damaged);
            assertThat(droppedTotal(target)).as("every bad datagram dropped and counted").isGreaterThanOrEqualTo(sent.bad());
            assertThat(s.reassemblyHeldBytes()).as("bounded: the fuzz never got past the MAC").isZero();
            assertThat(s.deliveryQueue()).isZero();
        }
    }

    private static long droppedTotal(GlueNode node) {
        GlueStatistics s = node.statistics();
        return Arrays.stream(DropReason.values()).mapToLong(s::dropped).sum();
    }

    /** What the fuzzer sent, by kind. */
    private static final class Counts {
        long random;
        long truncated;
        long oversized;
        long wrongKey;
        long damaged;
        long replayed;

        long bad() {
            return random + truncated + oversized + wrongKey + damaged + replayed;
        }
    }

    /**
     * Sends {@code count} bad datagrams, 32 at a time: before the next 32, the endpoint has counted the drops of these
     * (so a small socket buffer on a fresh machine loses none of them, and every one must be counted).
     */
    private static Counts fuzz(DatagramSocket socket, InetSocketAddress data, InetSocketAddress discovery, int count, GlueNode target)
            throws Exception {
        Random random = new Random(42);
        DatagramCodec right = new DatagramCodec(NETWORK, KEY.getBytes(StandardCharsets.UTF_8));
        DatagramCodec wrong = new DatagramCodec(NETWORK, "guessed".getBytes(StandardCharsets.UTF_8));
        Counts c = new Counts();
        List<byte[]> valid = new ArrayList<>();
        long fakeSender = 7_000_000_000L;
        for (int i = 0; i < count; i++) {
            InetSocketAddress to = i % 3 == 0 ? discovery : data;
            byte[] bytes;
            switch (i % 6) {
                case 0 -> {
                    bytes = new byte[random.nextInt(1500)];
                    random.nextBytes(bytes);
                    c.random++;
                }
                case 1 -> {
                    byte[] whole = right.encode(datagram(fakeSender, 1_000_000 + i, random));
                    bytes = Arrays.copyOf(whole, random.nextInt(whole.length));
                    c.truncated++;
                }
                case 2 -> {
                    // Larger than any datagram a LAN peer sends, with a glue header whose lengths point far beyond.
                    bytes = new byte[9_000 + random.nextInt(20_000)];
                    random.nextBytes(bytes);
                    byte[] header = right.encode(datagram(fakeSender, 4_000_000 + i, random));
                    System.arraycopy(header, 0, bytes, 0, DatagramCodec.HEADER);
                    c.oversized++;
                }
                case 3 -> {
                    bytes = wrong.encode(datagram(random.nextLong(), i, random));
                    c.wrongKey++;
                }
                case 4 -> {
                    bytes = right.encode(datagram(fakeSender, 2_000_000 + i, random));
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                    c.damaged++;
                }
                default -> {
                    // A valid datagram (an ACK of a sender that does not exist: harmless) once, then its replay.
                    byte[] original = right.encode(new Datagram(fakeSender + 1, 3_000_000 + i, List.of(new Frame.Ack(-1, new long[0]))));
                    socket.send(new DatagramPacket(original, original.length, data));
                    valid.add(original);
                    bytes = original;
                    to = data;
                    c.replayed++;
                }
            }
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            if (i % 32 == 31) {
                long expected = c.bad();
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> droppedTotal(target) >= expected);
            }
        }
        return c;
    }

    private static Datagram datagram(long sender, long packetNumber, Random random) {
        byte[] payload = new byte[random.nextInt(300)];
        random.nextBytes(payload);
        return new Datagram(sender, packetNumber, List.of(new Frame.Data(random.nextInt(10), 1, 0, 1, 0, "readings", "r", payload)));
    }
}
