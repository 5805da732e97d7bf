package dev.junction.quicsync;

import java.util.HashMap;
import java.util.Map;

import dev.junction.quic.SelfSignedCertificates;

/**
 * The settings that join a quic-sync sender and receiver on one machine (the demo, tests and benchmarks): the
 * receiver listens on localhost:port (or a given address) with a self-signed certificate, the sender sends there
 * trusting exactly that certificate, both with the same token.
 */
public final class LoopbackLink {

    private LoopbackLink() {
    }

    /** The receiver's side: listen on localhost:{@code port}. */
    public static Map<String, String> receiver(int port, SelfSignedCertificates.Files3 certs, String token) {
        return receiver("localhost", port, certs, token);
    }

    /** The receiver's side, listening on {@code host} (a network namespace's address in bench quic-sync-wan). */
    public static Map<String, String> receiver(String host, int port, SelfSignedCertificates.Files3 certs, String token) {
        Map<String, String> p = new HashMap<>();
        p.put("quic-sync.receiver.enabled", "true");
        p.put("quic-sync.listen-host", host);
        p.put("web.port", String.valueOf(port));
        p.put("tls.cert.file", certs.cert().toString());
        p.put("tls.key.file", certs.key().toString());
        p.put("quic-sync.token", token);
        return p;
    }

    /** The sender's side: send to localhost:{@code port}. */
    public static Map<String, String> sender(int port, SelfSignedCertificates.Files3 certs, String token) {
        return sender("localhost", port, certs, token);
    }

    /** The sender's side, sending to {@code host} (a name in the receiver's certificate). */
    public static Map<String, String> sender(String host, int port, SelfSignedCertificates.Files3 certs, String token) {
        Map<String, String> p = new HashMap<>();
        p.put("quic-sync.sender.enabled", "true");
        p.put("quic-sync.remote.host", host);
        p.put("quic-sync.remote.port", String.valueOf(port));
        p.put("quic-sync.trust-cert-file", certs.cert().toString());
        p.put("quic-sync.token", token);
        return p;
    }

    /** Both sides in one process. */
    public static Map<String, String> both(int port, SelfSignedCertificates.Files3 certs, String token) {
        Map<String, String> p = receiver(port, certs, token);
        p.putAll(sender(port, certs, token));
        return p;
    }
}
