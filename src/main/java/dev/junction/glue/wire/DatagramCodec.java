package dev.junction.glue.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.CRC32C;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Datagrams to and from bytes for one glue network (docs/glue-protocol.md):
 * <pre>
 * magic "GL" (2) | version (1) | flags (1) | network hash (4) | sender (8) | packet number (8) | frames ... | trailer
 * </pre>
 * The trailer is a CRC32C of everything before it (4 bytes), or, when the network has a key, an HMAC-SHA256 of it
 * (32 bytes, flag bit 0). The network hash is the CRC32C of GLUE_NETWORK_ID: datagrams of other networks on the
 * same segment are dropped before their frames are read. Not thread-safe (one per thread: the MAC is stateful).
 */
public final class DatagramCodec {

    public static final int MAGIC = 0x474C;
    public static final int VERSION = 1;
    public static final int HEADER = 2 + 1 + 1 + 4 + 8 + 8;
    private static final int FLAG_MAC = 1;
    private static final int CRC_BYTES = 4;
    private static final int MAC_BYTES = 32;

    private final int networkHash;
    private final Mac mac;

    /** {@code networkKey}: null or empty for checksums only; else every datagram carries and needs an HMAC under it. */
    public DatagramCodec(String networkId, byte[] networkKey) {
        CRC32C crc = new CRC32C();
        crc.update(networkId.getBytes(StandardCharsets.UTF_8));
        this.networkHash = (int) crc.getValue();
        if (networkKey == null || networkKey.length == 0) {
            this.mac = null;
        } else {
            try {
                this.mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(networkKey, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
            }
        }
    }

    /** Bytes a datagram takes besides its frames. */
    public int overhead() {
        return HEADER + trailerBytes();
    }

    private int trailerBytes() {
        return mac == null ? CRC_BYTES : MAC_BYTES;
    }

    /** The datagram's encoded length. */
    public int length(Datagram datagram) {
        int length = overhead();
        for (Frame f : datagram.frames()) {
            length += f.encodedLength();
        }
        return length;
    }

    /** The datagram's bytes, of exactly its length. */
    public byte[] encode(Datagram datagram) {
        ByteBuffer out = ByteBuffer.allocate(length(datagram));
        encode(datagram, out);
        return out.array();
    }

    /**
     * Writes the datagram into {@code out} from its position (a direct buffer of the socket's, say, so the bytes are
     * written once); {@code out} needs {@link #length} bytes left.
     */
    public void encode(Datagram datagram, ByteBuffer out) {
        int start = out.position();
        out.putShort((short) MAGIC).put((byte) VERSION).put((byte) (mac == null ? 0 : FLAG_MAC)).putInt(networkHash)
                .putLong(datagram.sender()).putLong(datagram.packetNumber());
        for (Frame f : datagram.frames()) {
            FrameCodec.write(f, out);
        }
        ByteBuffer signed = out.duplicate().limit(out.position()).position(start);
        if (mac == null) {
            CRC32C crc = new CRC32C();
            crc.update(signed);
            out.putInt((int) crc.getValue());
        } else {
            mac.update(signed);
            out.put(mac.doFinal());
        }
    }

    /** The datagram in {@code bytes[offset, offset + length)}, or why it is refused. */
    public Datagram decode(byte[] bytes, int offset, int length) throws BadDatagramException {
        return decode(ByteBuffer.wrap(bytes, offset, length).slice());
    }

    /** The datagram in {@code datagram}'s remaining bytes (heap or direct; read without copying it first), or why it is refused. */
    public Datagram decode(ByteBuffer datagram) throws BadDatagramException {
        ByteBuffer in = datagram.slice();
        int length = in.remaining();
        if (length < HEADER + CRC_BYTES) {
            throw new BadDatagramException(DropReason.NOT_GLUE, length + " bytes");
        }
        if (Short.toUnsignedInt(in.getShort()) != MAGIC) {
            throw new BadDatagramException(DropReason.NOT_GLUE, "no glue magic");
        }
        int version = Byte.toUnsignedInt(in.get());
        if (version != VERSION) {
            throw new BadDatagramException(DropReason.VERSION, "version " + version);
        }
        int flags = Byte.toUnsignedInt(in.get());
        if (in.getInt() != networkHash) {
            throw new BadDatagramException(DropReason.OTHER_NETWORK, "another network id");
        }
        boolean signedWithMac = (flags & FLAG_MAC) != 0;
        if (signedWithMac != (mac != null)) {
            throw new BadDatagramException(DropReason.MAC, signedWithMac ? "a MAC, and this network has no key" : "no MAC");
        }
        int body = length - trailerBytes();
        if (body < HEADER) {
            throw new BadDatagramException(DropReason.MALFORMED, "shorter than header and MAC");
        }
        checkTrailer(in, body);
        long sender = in.getLong();
        long packetNumber = in.getLong();
        ByteBuffer frames = in.slice(HEADER, body - HEADER);
        List<Frame> read = FrameCodec.readAll(frames);
        return new Datagram(sender, packetNumber, read);
    }

    private void checkTrailer(ByteBuffer whole, int body) throws BadDatagramException {
        ByteBuffer signed = whole.duplicate().position(0).limit(body);
        if (mac == null) {
            CRC32C crc = new CRC32C();
            crc.update(signed);
            if ((int) crc.getValue() != whole.getInt(body)) {
                throw new BadDatagramException(DropReason.CHECKSUM, "CRC32C mismatch");
            }
            return;
        }
        mac.update(signed);
        byte[] computed = mac.doFinal();
        byte[] carried = new byte[MAC_BYTES];
        whole.get(body, carried);
        if (!MessageDigest.isEqual(computed, carried)) {
            throw new BadDatagramException(DropReason.MAC, "HMAC mismatch");
        }
    }
}
