package dev.junction.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.junction.glue.GlueNode;
import dev.junction.glue.GlueSettings;
import dev.junction.glue.GlueStatistics;

/**
 * One process of the glue benchmark, as ddsperf's {@code pub} and {@code sub}:
 * {@code sub RENDEZVOUS_PORT NETWORK SIZE INDEX} or {@code pub RENDEZVOUS_PORT NETWORK SIZE SECONDS RATE} (RATE 0: as
 * fast as the reliable streams take). The first payload bytes carry the send time in epoch microseconds (one host,
 * one clock), so subscribers measure one-way latency. A subscriber prints one line a second
 * ({@code SECOND n count c p50 x p99 y}, microseconds) and ends at the publisher's END message.
 */
public final class GlueBenchPeer {

    static final String TOPIC = "bench";
    static final String TYPE = "blob";
    private static final String END = "bench.end";

    private GlueBenchPeer() {
    }

    public static void main(String[] args) throws Exception {
        boolean publisher = args[0].equals("pub");
        int rendezvousPort = Integer.parseInt(args[1]);
        Map<String, String> env = new HashMap<>();
        env.put("GLUE_NETWORK_ID", args[2]);
        env.put("GLUE_ENDPOINT_NAME", publisher ? "publisher" : "subscriber-" + args[4]);
        env.put("GLUE_LISTEN_ADDRESS", "127.0.0.1:0");
        env.put("GLUE_DISCOVERY_RATE_MILLISECONDS", "200");
        env.put("GLUE_DISCOVERY_LISTEN_ADDRESS", "127.0.0.1:" + rendezvousPort);
        // The first subscriber is the rendezvous point; the others announce to it.
        env.put("GLUE_DISCOVERY_TARGET_ADDRESS", !publisher && args[4].equals("1") ? "0" : "127.0.0.1:" + rendezvousPort);
        // Reliable and blocking, as DDS's reliable keep-all writers: a full stream holds the publisher back.
        env.put("GLUE_MAX_BLOCKING_MILLISECONDS", "60000");
        try (GlueNode node = GlueNode.start(GlueSettings.from(env))) {
            if (publisher) {
                publish(node, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            } else {
                subscribe(node);
            }
        }
        System.exit(0);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static void publish(GlueNode node, int size, int seconds, int rate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.peers().stream().filter(p -> p.subscribes(TOPIC, TYPE)).count() < Integer.getInteger("bench.subscribers", 3)) {
            if (System.nanoTime() > deadline) {
                System.out.println("ERROR fewer than 3 subscribers after 30 s: " + node.peers());
                System.exit(1);
            }
            Thread.sleep(50); // discovery's pace: nothing to synchronise with but the announcements
        }
        byte[] payload = new byte[Math.max(size, 8)];
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = rate == 0 ? sent + 1 : (now - start) * rate / 1_000_000_000L;
            while (sent < due) {
                ByteBuffer.wrap(payload).putLong(0, nowMicros());
                node.publish(TOPIC, TYPE, null, payload);
                sent++;
            }
            if (rate != 0) {
                LockSupport.parkNanos(1_000_000); // as ddsperf: the messages due, then a millisecond's pause
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        GlueStatistics s = node.statistics();
        System.out.printf(Locale.ROOT, "PUBLISHED %d in %.2f s (%.0f/s) skipped %d resends %d datagrams %d%n", sent, elapsed,
                sent / elapsed, s.fullStreams(), s.resends(), s.datagramsOut());
        // Each peer's stream is in order, whatever the topic: END comes after the last message at every subscriber.
        node.publish(END, TYPE, null, new byte[1]);
        long drained = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.statistics().unacknowledged() > 0 && System.nanoTime() < drained) {
            Thread.sleep(10); // the backlog and END still on their way; nothing to wait on but the acknowledgements
        }
    }

    private static void subscribe(GlueNode node) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        long[][] latencies = {new long[1 << 16]};
        int[] inSecond = {0};
        long[] secondStart = {0};
        int[] second = {0};
        node.subscribe(END, TYPE, m -> ended.countDown());
        node.subscribe(TOPIC, TYPE, m -> {
            long latency = nowMicros() - ByteBuffer.wrap(m.payload()).getLong(0);
            long now = System.nanoTime();
            if (secondStart[0] == 0) {
                secondStart[0] = now;
            }
            if (now - secondStart[0] >= 1_000_000_000L) {
                report(++second[0], latencies[0], inSecond[0]);
                inSecond[0] = 0;
                secondStart[0] += 1_000_000_000L * ((now - secondStart[0]) / 1_000_000_000L);
            }
            if (inSecond[0] == latencies[0].length) {
                latencies[0] = Arrays.copyOf(latencies[0], latencies[0].length * 2);
            }
            latencies[0][inSecond[0]++] = latency;
            received.incrementAndGet();
        });
        System.out.println("READY " + node.name());
        if (!ended.await(300, TimeUnit.SECONDS)) {
            System.out.println("ERROR no END message within 300 s");
        }
        System.out.println("TOTAL " + received.get() + " " + node.statistics());
    }

    private static void report(int second, long[] latencies, int n) {
        long[] l = Arrays.copyOf(latencies, n);
        Arrays.sort(l);
        System.out.printf(Locale.ROOT, "SECOND %d count %d p50 %d p99 %d%n", second, n, n == 0 ? 0 : l[n / 2],
                n == 0 ? 0 : l[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)]);
    }
}
