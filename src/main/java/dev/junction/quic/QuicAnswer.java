package dev.junction.quic;

import java.nio.charset.StandardCharsets;

/** The response to one {@link QuicRequest}: status, content type (may be null) and body (may be null). */
public record QuicAnswer(int status, String contentType, byte[] body) {

    static QuicAnswer text(int status, String message) {
        return new QuicAnswer(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
