package dev.junction.quic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks an {@code Authorization: Bearer ...} header against the configured token in constant time. */
final class BearerToken {

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean accepts(Optional<String> authorization) {
        String presented = authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).orElse("");
        // MessageDigest.isEqual takes the same time for every mismatch position.
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    static String header(String token) {
        return "Bearer " + token;
    }
}
