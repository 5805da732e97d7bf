package dev.junction.glue.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The datagram format: frames round-trip, many pack into one datagram, and every damaged datagram is refused with its reason. */
class DatagramCodecTest {

    private static final byte[] KEY = "a network key of 32 bytes or so!".getBytes(StandardCharsets.UTF_8);

    private static Frame.Announce announce() {
        return new Frame.Announce(0x1234_5678_9ABCL, 7, "sensor_123abc", new byte[] {127, 0, 0, 1}, 27320, 1000, 5,
                List.of(new Frame.Subscription("some_topic", "some_type"), new Frame.Subscription("temperature", "celsius")));
    }

    private static Frame.Data data(long sequence, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(sequence).nextBytes(payload);
        return new Frame.Data(sequence, 1000 + sequence, 0, 1, 1_700_000_000_000L, "some_topic", "some_type", payload);
    }

    @Test
    void everyFrameRoundTripsWithChecksumAndWithMac() throws Exception {
        List<Frame> frames = List.of(announce(), data(41, 64), new Frame.Ack(40, new long[] {42, 45, 50, 50}),
                new Frame.Data(3, 9, 2, 5, 0, "t", "", new byte[0]), new Frame.Skip(39));
        for (byte[] key : new byte[][] {null, KEY}) {
            DatagramCodec codec = new DatagramCodec("net-1", key);
            byte[] bytes = codec.encode(new Datagram(0x1234_5678_9ABCL, 17, frames));
            Datagram back = codec.decode(bytes, 0, bytes.length);
            assertThat(back.sender()).isEqualTo(0x1234_5678_9ABCL);
            assertThat(back.packetNumber()).isEqualTo(17);
            assertThat(back.frames()).isEqualTo(frames);
        }
    }

    @Test
    void manySmallMessagesTravelInOneDatagram() throws Exception {
        DatagramCodec codec = new DatagramCodec("net-1", null);
        List<Frame> frames = new ArrayList<>();
        for (long s = 0; s < 20; s++) {
            frames.add(data(s, 64));
        }
        byte[] bytes = codec.encode(new Datagram(1, 1, frames));
        int frameBytes = frames.stream().mapToInt(Frame::encodedLength).sum();
        assertThat(bytes.length).as("one header and trailer for all 20").isEqualTo(codec.overhead() + frameBytes);
        assertThat(codec.decode(bytes, 0, bytes.length).frames()).hasSize(20);
    }

    @Test
    void damagedOrForeignDatagramsAreRefusedWithTheirReason() {
        DatagramCodec plain = new DatagramCodec("net-1", null);
        byte[] good = plain.encode(new Datagram(1, 1, List.of(data(1, 100))));

        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        assertReason(plain, flipped, DropReason.CHECKSUM);
        assertReason(new DatagramCodec("net-2", null), good, DropReason.OTHER_NETWORK);
        assertReason(new DatagramCodec("net-1", KEY), good, DropReason.MAC);
        byte[] signed = new DatagramCodec("net-1", KEY).encode(new Datagram(1, 1, List.of(data(1, 100))));
        assertReason(new DatagramCodec("net-1", "another key".getBytes(StandardCharsets.UTF_8)), signed, DropReason.MAC);
        assertReason(plain, signed, DropReason.MAC);
        assertReason(plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), DropReason.NOT_GLUE);
        byte[] future = good.clone();
        future[2] = 9;
        assertReason(plain, future, DropReason.VERSION);
    }

    @Test
    void aLengthPastTheEndIsMalformedEvenWithAGoodChecksum() throws Exception {
        DatagramCodec codec = new DatagramCodec("net-1", null);
        // A frame header that claims 60,000 bytes, sealed with a correct CRC: the length is checked, nothing allocated.
        byte[] lying = withCrc(new byte[] {FrameCodec.DATA, (byte) 0xEA, 0x60, 1, 2, 3});
        assertReason(codec, lying, DropReason.MALFORMED);
        // An announcement that claims 65,535 subscriptions in a few bytes.
        byte[] body = {FrameCodec.ANNOUNCE, 0, 14, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 1, 'x', 0, 0, 1, 0, 0, 3, (byte) 0xE8, 5, (byte) 0xFF, (byte) 0xFF};
        body[2] = (byte) (body.length - 3);
        assertReason(codec, withCrc(body), DropReason.MALFORMED);
    }

    /** A datagram of net-1 with these frame bytes and a correct CRC32C. */
    private static byte[] withCrc(byte[] frameBytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(DatagramCodec.HEADER + frameBytes.length + 4);
        java.util.zip.CRC32C net = new java.util.zip.CRC32C();
        net.update("net-1".getBytes(StandardCharsets.UTF_8));
        b.putShort((short) DatagramCodec.MAGIC).put((byte) 1).put((byte) 0).putInt((int) net.getValue()).putLong(5).putLong(1)
                .put(frameBytes);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void truncatedAndRandomBytesOnlyEverGiveBadDatagram() {
        DatagramCodec codec = new DatagramCodec("net-1", null);
        byte[] good = codec.encode(new Datagram(1, 1, List.of(announce(), data(1, 300), new Frame.Ack(0, new long[0]))));
        for (int length = 0; length < good.length; length++) {
            try {
                codec.decode(good, 0, length);
            } catch (BadDatagramException expected) {
                continue;
            }
            throw new AssertionError("a datagram cut at " + length + " of " + good.length + " bytes was taken");
        }
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] junk = random.nextInt(4) == 0 ? mutate(good, random) : randomBytes(random);
            if (java.util.Arrays.equals(junk, good)) {
                junk[junk.length / 2] ^= 0x5A; // two flips of one byte cancelled out: still a changed datagram
            }
            try {
                codec.decode(junk, 0, junk.length);
            } catch (BadDatagramException e) {
                refused++;
            }
        }
        assertThat(refused).as("random and mutated datagrams refused (a CRC32C lets about 1 in 4 billion through)")
                .isEqualTo(100_000);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(1500)];
        random.nextBytes(b);
        if (b.length > 2 && random.nextBoolean()) {
            b[0] = 0x47; // glue's magic, so more of them reach the deeper checks
            b[1] = 0x4C;
            b[2] = 1;
        }
        return b;
    }

    private static byte[] mutate(byte[] good, Random random) {
        byte[] b = good.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return b;
    }

    private static void assertReason(DatagramCodec codec, byte[] bytes, DropReason reason) {
        assertThatThrownBy(() -> codec.decode(bytes, 0, bytes.length)).isInstanceOf(BadDatagramException.class)
                .satisfies(e -> assertThat(((BadDatagramException) e).reason()).isEqualTo(reason));
    }
}
