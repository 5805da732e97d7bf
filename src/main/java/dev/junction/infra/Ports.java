package dev.junction.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Small helpers for TCP ports: a free one, or whether one is taken. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago (the OS picks it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }

    /** True when nothing can bind {@code host:port} right now, because another process holds it. */
    public static boolean isBusy(String host, int port) {
        if (port == 0) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
