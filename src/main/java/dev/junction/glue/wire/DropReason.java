package dev.junction.glue.wire;

import java.util.Locale;

/** Why a datagram was dropped: the tag of the drop counter (junction_glue_dropped_total{reason=...}). */
public enum DropReason {
    /** Not a glue datagram: no magic, or shorter than a header and trailer. */
    NOT_GLUE,
    /** A glue version this endpoint does not speak. */
    VERSION,
    /** Another glue network (GLUE_NETWORK_ID) on the same segment. */
    OTHER_NETWORK,
    /** A length or count that points past the end of the datagram, or a frame that breaks its own rules. */
    MALFORMED,
    /** The CRC32C trailer does not match: damaged on the way. */
    CHECKSUM,
    /** No valid HMAC under the network key, or a MAC where none is expected (or none where one is). */
    MAC,
    /** A packet number seen before, or older than the replay window. */
    REPLAYED,
    /** From this endpoint itself (multicast loops back). */
    OWN;

    /** The counter tag: lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
