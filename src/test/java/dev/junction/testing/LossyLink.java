package dev.junction.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ../shared/tools/lossy-link}: two network namespaces, {@code jx-a} (10.77.0.1) and {@code jx-b} (10.77.0.2),
 * joined by an emulated WAN link whose delay, loss and rate can change while it runs.
 */
public final class LossyLink implements AutoCloseable {

    public static final String SITE_A = "jx-a";
    public static final String SITE_B = "jx-b";
    public static final String ADDRESS_A = "10.77.0.1";
    public static final String ADDRESS_B = "10.77.0.2";
    /**
     * The sites' host names, in each namespace's own /etc/hosts ({@code ip netns exec} mounts /etc/netns/NS/hosts):
     * a certificate names a host, and kwik's client checks only DNS names, not IP addresses.
     */
    public static final String HOST_A = "site-a.lossy-link";
    public static final String HOST_B = "site-b.lossy-link";

    /** One link's shape; each direction gets the delay, the loss and the rate. */
    public record Shape(String name, int delayMs, double lossPercent, double rateMbit) {
        public double bytesPerSecond() {
            return rateMbit * 125_000;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "(%s) %d ms one-way, %.0f%% loss, %.0f Mbit/s", name, delayMs, lossPercent, rateMbit);
        }
    }

    private static final Path TOOL = Path.of("..", "shared", "tools", "lossy-link");

    private LossyLink() {
    }

    /** Whether this machine can make the link: root, {@code ip} and the tool (../shared beside the repo). */
    public static boolean available() {
        boolean ip = Files.isExecutable(Path.of("/sbin/ip")) || Files.isExecutable(Path.of("/usr/sbin/ip"));
        return ip && Files.isExecutable(TOOL) && "root".equals(System.getProperty("user.name"));
    }

    /** Brings the link up with {@code shape}; a link left up by an earlier run that died is taken down first. */
    public static LossyLink up(Shape shape) throws IOException, InterruptedException {
        if (!Files.isExecutable(TOOL)) {
            throw new IllegalStateException("bench quic-sync-wan needs " + TOOL.toAbsolutePath() + " (../shared beside the repo) and root");
        }
        tool(false, "down");
        tool(true, "up", "--delay-ms", String.valueOf(shape.delayMs()), "--loss", String.valueOf(shape.lossPercent()),
                "--rate-mbit", String.valueOf(shape.rateMbit()));
        for (String site : List.of(SITE_A, SITE_B)) {
            Path hosts = Path.of("/etc/netns", site, "hosts");
            Files.createDirectories(hosts.getParent());
            Files.writeString(hosts, "127.0.0.1 localhost\n" + ADDRESS_A + " " + HOST_A + "\n" + ADDRESS_B + " " + HOST_B + "\n");
        }
        return new LossyLink();
    }

    public void set(Shape shape) throws IOException, InterruptedException {
        tool(true, "set", "--delay-ms", String.valueOf(shape.delayMs()), "--loss", String.valueOf(shape.lossPercent()),
                "--rate-mbit", String.valueOf(shape.rateMbit()));
    }

    /** Drops every packet both ways for {@code seconds}, from now. */
    public void outage(int seconds) throws IOException, InterruptedException {
        tool(true, "outage", String.valueOf(seconds));
    }

    /** Sets the congestion control of TCP between the sites, on both sides' route to the peer (cubic, bbr, reno). */
    public void tcpCongestionControl(String algorithm) throws IOException, InterruptedException {
        run(true, List.of("ip", "-n", SITE_A, "route", "replace", ADDRESS_B, "dev", "wan0", "proto", "kernel", "scope", "link",
                "src", ADDRESS_A, "congctl", algorithm));
        run(true, List.of("ip", "-n", SITE_B, "route", "replace", ADDRESS_A, "dev", "wan0", "proto", "kernel", "scope", "link",
                "src", ADDRESS_B, "congctl", algorithm));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tool(false, "down");
        for (String site : List.of(SITE_A, SITE_B)) {
            Files.deleteIfExists(Path.of("/etc/netns", site, "hosts"));
            Files.deleteIfExists(Path.of("/etc/netns", site));
        }
    }

    private static void tool(boolean check, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TOOL.toString()));
        cmd.addAll(List.of(args));
        run(check, cmd);
    }

    private static void run(boolean check, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 && check) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
