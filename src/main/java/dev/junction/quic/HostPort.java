package dev.junction.quic;

/** The {@code host:port} of an endpoint URI's path ({@code quic:host:port}, {@code quic-sync:host:port}); port may be absent. */
public record HostPort(String host, Integer port) {

    /** Splits at the last colon; {@code port} is null when the path names only a host, {@code host} null when it is blank. */
    public static HostPort parse(String remaining) {
        int colon = remaining.lastIndexOf(':');
        if (colon > 0) {
            return new HostPort(remaining.substring(0, colon), Integer.parseInt(remaining.substring(colon + 1)));
        }
        return new HostPort(remaining.isBlank() ? null : remaining, null);
    }
}
