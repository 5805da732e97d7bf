package dev.junction.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between clients and a daemon that can be cut: while cut it moves no byte in either direction and
 * closes nothing, as a network partition does (the kernels keep what was sent; it flows on when the link heals).
 */
final class PartitionableLink implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    PartitionableLink(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "partitionable-link");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    synchronized void cut() {
        cut = true;
    }

    synchronized void heal() {
        cut = false;
        notifyAll();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket daemon = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(daemon);
                pump(client, daemon);
                pump(daemon, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    awaitLink();
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    awaitLink(); // bytes read just before the cut wait too
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            } finally {
                close(from);
                close(to);
            }
        }, "partitionable-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void awaitLink() throws InterruptedException {
        while (cut) {
            wait();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        heal();
        server.close();
        sockets.forEach(PartitionableLink::close);
    }
}
