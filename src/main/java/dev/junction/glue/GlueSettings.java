package dev.junction.glue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.junction.glue.network.NetworkSettings;
import dev.junction.support.JunctionException;

/**
 * An endpoint's settings, named as the original glue's environment variables; the defaults work on a LAN with nothing
 * set (multicast discovery on 239.192.137.1:27320, once a second, peers gone after 5 missed announcements).
 * Junction's own: GLUE_NETWORK_KEY (HMAC-SHA256 on every datagram), GLUE_PARTITION_CACHE_MILLISECONDS (how long what
 * is queued for a vanished peer is kept for it; 0: dropped at once), GLUE_MAX_BLOCKING_MILLISECONDS (how long a
 * publish waits for room in a slow peer's stream), GLUE_MAX_DATAGRAM_BYTES (on the LAN).
 */
public record GlueSettings(String networkId, int endpointId, String endpointName, InetSocketAddress listenAddress,
        NetworkInterface listenInterface, InetSocketAddress discoveryTarget, InetSocketAddress discoveryListen,
        int discoveryRateMillis, int discoveryTimeoutMultiplier, byte[] networkKey, int partitionCacheMillis,
        int maxBlockingMillis, int maxDatagramBytes) {

    public static final String DEFAULT_DISCOVERY = "239.192.137.1:27320";

    /** From GLUE_* variables (absent or empty: the default). GLUE_DISCOVERY_TARGET_ADDRESS=0: this is the rendezvous point. */
    public static GlueSettings from(Map<String, String> env) {
        String target = value(env, "GLUE_DISCOVERY_TARGET_ADDRESS", DEFAULT_DISCOVERY);
        String key = value(env, "GLUE_NETWORK_KEY", "");
        return new GlueSettings(
                value(env, "GLUE_NETWORK_ID", "default"),
                integer(env, "GLUE_ENDPOINT_ID", "0"),
                value(env, "GLUE_ENDPOINT_NAME", defaultName()),
                address(env, "GLUE_LISTEN_ADDRESS", "0.0.0.0:0"),
                networkInterface(value(env, "GLUE_LISTEN_INTERFACE", "")),
                "0".equals(target) ? null : address("GLUE_DISCOVERY_TARGET_ADDRESS", target),
                address(env, "GLUE_DISCOVERY_LISTEN_ADDRESS", DEFAULT_DISCOVERY),
                positive(env, "GLUE_DISCOVERY_RATE_MILLISECONDS", "1000"),
                positive(env, "GLUE_DISCOVERY_RATE_TIMEOUT_MULTIPLIER", "5"),
                key.isEmpty() ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                atLeast(env, "GLUE_PARTITION_CACHE_MILLISECONDS", "60000", 0, Integer.MAX_VALUE),
                atLeast(env, "GLUE_MAX_BLOCKING_MILLISECONDS", "100", 0, Integer.MAX_VALUE),
                atLeast(env, "GLUE_MAX_DATAGRAM_BYTES", "1400", 576, 65_000));
    }

    /** The network layer's part. */
    public NetworkSettings network() {
        return new NetworkSettings(networkId, networkKey, listenAddress, listenInterface, discoveryListen, discoveryTarget);
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "glue";
        }
        return host + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int integer(Map<String, String> env, String name, String fallback) {
        String v = value(env, name, fallback);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new JunctionException(name + " must be a whole number, not '" + v + "'");
        }
    }

    private static int positive(Map<String, String> env, String name, String fallback) {
        int n = integer(env, name, fallback);
        if (n <= 0 || (name.endsWith("MULTIPLIER") && n > 255)) {
            throw new JunctionException(name + " must be between 1 and " + (name.endsWith("MULTIPLIER") ? 255 : Integer.MAX_VALUE) + ", not " + n);
        }
        return n;
    }

    private static int atLeast(Map<String, String> env, String name, String fallback, int min, int max) {
        int n = integer(env, name, fallback);
        if (n < min || n > max) {
            throw new JunctionException(name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    private static InetSocketAddress address(Map<String, String> env, String name, String fallback) {
        return address(name, value(env, name, fallback));
    }

    private static InetSocketAddress address(String name, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new JunctionException(name + " must be HOST:PORT, not '" + hostPort + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new JunctionException(name + " must be HOST:PORT, not '" + hostPort + "': " + e.getMessage());
        }
    }

    private static NetworkInterface networkInterface(String name) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) {
                throw new JunctionException("GLUE_LISTEN_INTERFACE names no interface of this host: '" + name + "'");
            }
            return ni;
        } catch (SocketException e) {
            throw new JunctionException("GLUE_LISTEN_INTERFACE '" + name + "' cannot be read: " + e.getMessage());
        }
    }
}
