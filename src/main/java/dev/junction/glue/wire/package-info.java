/**
 * glue's serialization layer: the binary datagram format (docs/glue-protocol.md). A datagram carries a versioned
 * header, any number of frames packed together (announcements, data fragments, acknowledgements), and a trailer that
 * is a CRC32C checksum, or an HMAC-SHA256 when the network has a key. Decoding checks every length against the bytes
 * left before it reads or allocates anything, and says why it refused a datagram ({@link DropReason}).
 */
package dev.junction.glue.wire;
