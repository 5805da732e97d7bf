package dev.junction.quic;

import java.util.Map;

/**
 * One HTTP/3 request as a transport hands it to the consumer: method, path with its query, headers (lower-case names,
 * first value, pseudo-headers left out) and the whole body.
 */
public record QuicRequest(String method, String path, Map<String, String> headers, byte[] body) {
}
