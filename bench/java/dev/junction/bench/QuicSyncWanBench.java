package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.junction.quic.SelfSignedCertificates;
import dev.junction.quicsync.LoopbackLink;
import dev.junction.testing.Arrivals;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.LossyLink;
import dev.junction.testing.SiteProcess;
import dev.junction.testing.WanSite;

/**
 * {@code bench/run quic-sync-wan}: quic-sync against MirrorMaker 2 across an emulated WAN link
 * ({@code ../shared/tools/lossy-link}). Each site is a network namespace with its own Kafka broker, a JVM of its own;
 * quic-sync's sender runs at the source site and its receiver at the destination, MirrorMaker 2 runs as its users
 * deploy it, at the destination site, consuming across the link, over TCP with BBR (the hard anchor) and with CUBIC
 * (what most hosts run). Links (a) and (b), a backlog of 200-byte JSON-like records in 3 partitions produced at the
 * source uncompressed and then with zstd, and a 30 s outage on (a) mid-stream. Every run mirrors a topic of its own;
 * the order of the sides is reversed from one phase to the next.
 * <p>
 * Per run: records/s from when the backlog began to cross the link to the last record's arrival, bytes on the link (both directions) per record,
 * the link's use (bytes the source site sent per second over that time, over the link's rate), and for the outage the seconds from the
 * link's return to the first record mirrored after it.
 */
public final class QuicSyncWanBench {

    private static final String BENCH = "quic-sync-wan";
    private static final LossyLink.Shape LOSSY = new LossyLink.Shape("a", 100, 2, 10);
    private static final LossyLink.Shape SATELLITE = new LossyLink.Shape("b", 300, 5, 2);
    private static final int BROKER_PORT = 9092;
    private static final int RECEIVER_PORT = 8443;
    private static final String TOKEN = "bench-token";
    /**
     * The outage run's backlog, in multiples of --records: a deep window has much of a short backlog across the link
     * before a tenth of it is written at the destination, and the outage must cut the stream, not its tail.
     */
    private static final int OUTAGE_BACKLOG = 3;

    /** The sides: quic-sync on each transport, MirrorMaker 2 on each TCP congestion control. */
    enum Mirror {
        NATIVE("quic-sync, native QUIC (BBR)", "native"),
        KWIK("quic-sync, kwik QUIC", "kwik"),
        MM2_BBR("MirrorMaker 2, TCP BBR", "bbr"),
        MM2_CUBIC("MirrorMaker 2, TCP CUBIC", "cubic");

        final String label;
        final String variant;

        Mirror(String label, String variant) {
            this.label = label;
            this.variant = variant;
        }

        boolean isQuicSync() {
            return this == NATIVE || this == KWIK;
        }

        static Mirror named(String name) {
            return switch (name) {
                case "native" -> NATIVE;
                case "kwik" -> KWIK;
                case "mm2-bbr" -> MM2_BBR;
                case "mm2-cubic" -> MM2_CUBIC;
                default -> throw new IllegalArgumentException("--sides takes native, kwik, mm2-bbr, mm2-cubic, not " + name);
            };
        }
    }

    /** One run's figures. */
    record Run(Mirror mirror, long backlog, long mirrored, long copies, double recordsPerSecond, double wireBytesPerRecord,
            double linkUse, double resumeSeconds, boolean complete) {
    }

    private final BenchOptions options;
    private final Path dir;
    private final long records;
    private final long maxSeconds;
    private final SelfSignedCertificates.Files3 certs;
    private LossyLink link;
    private SiteProcess brokerA;
    private SiteProcess brokerB;
    private int topics;

    private QuicSyncWanBench(BenchOptions options, Path dir) throws Exception {
        this.options = options;
        this.dir = dir;
        this.records = options.number("records", 100_000, 30_000);
        this.maxSeconds = options.number("max-seconds", 240, 60);
        this.certs = SelfSignedCertificates.generate(dir.resolve("certs"), "EC", "dns:" + LossyLink.HOST_B);
    }

    static void run(BenchOptions options) throws Exception {
        new QuicSyncWanBench(options, Files.createTempDirectory("bench-quic-sync-wan")).runAll();
    }

    private void runAll() throws Exception {
        List<Mirror> sides = Arrays.stream(options.values().getOrDefault("sides", "native,kwik,mm2-bbr,mm2-cubic").split(","))
                .map(String::trim).map(Mirror::named).toList();
        List<String> links = List.of(options.values().getOrDefault("links", "a,b").split(","));
        // --compressions "" leaves only the outage run.
        List<String> compressions = Arrays.stream(options.values().getOrDefault("compressions", "none,zstd").split(","))
                .map(String::trim).filter(c -> !c.isEmpty()).toList();
        int outage = (int) options.number("outage-seconds", 30, 30);
        System.out.printf("quic-sync-wan: %,d records of %d bytes, %d partitions; sides %s; at most %d s a run; logs in %s%n",
                records, WanSite.RECORD_BYTES, WanSite.PARTITIONS, sides, maxSeconds, dir);
        link = LossyLink.up(LOSSY);
        try {
            startBrokers();
            int phase = 0;
            for (String name : links) {
                LossyLink.Shape shape = name.equals("a") ? LOSSY : SATELLITE;
                link.set(shape);
                for (String compression : compressions) {
                    System.out.printf("link %s, source producer compression %s%n", shape, compression);
                    Map<Mirror, Run> runs = new EnumMap<>(Mirror.class);
                    for (Mirror m : ordered(sides, phase++)) {
                        Run r = mirror(m, shape, compression, 0);
                        runs.put(m, r);
                        print(r);
                    }
                    String metric = (shape == LOSSY ? "throughput_lossy" : "throughput_satellite")
                            + (compression.equals("none") ? "" : "_" + compression);
                    report(metric, runs);
                }
            }
            if (outage > 0 && links.contains("a")) {
                link.set(LOSSY);
                System.out.printf("link %s, %,d records, a %d s outage once a tenth of them arrived%n", LOSSY,
                        OUTAGE_BACKLOG * records, outage);
                Map<Mirror, Run> runs = new EnumMap<>(Mirror.class);
                for (Mirror m : ordered(sides, phase++)) {
                    Run r = mirror(m, LOSSY, "none", outage);
                    runs.put(m, r);
                    print(r);
                }
                reportResume(runs);
            }
        } finally {
            stopBrokers();
            link.close();
        }
    }

    private static List<Mirror> ordered(List<Mirror> sides, int phase) {
        List<Mirror> order = new ArrayList<>(sides);
        if (phase % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private void startBrokers() throws Exception {
        brokerA = SiteProcess.broker(LossyLink.SITE_A, dir, LossyLink.ADDRESS_A, BROKER_PORT);
        brokerB = SiteProcess.broker(LossyLink.SITE_B, dir, LossyLink.ADDRESS_B, BROKER_PORT);
        // The destination broker's write path, warmed up before the first run (the source's is by each backlog).
        SiteProcess.runToEnd(LossyLink.SITE_B, dir.resolve("warm-up.log"), 300, "produce", bootstrapB(), "bench-wan-warm-up",
                String.valueOf(2 * records), "none");
        System.out.printf("  brokers up at %s (site a) and %s (site b)%n", bootstrapA(), bootstrapB());
    }

    private void stopBrokers() throws InterruptedException {
        if (brokerA != null) {
            brokerA.close();
        }
        if (brokerB != null) {
            brokerB.close();
        }
    }

    private static String bootstrapA() {
        return LossyLink.ADDRESS_A + ":" + BROKER_PORT;
    }

    private static String bootstrapB() {
        return LossyLink.ADDRESS_B + ":" + BROKER_PORT;
    }

    /**
     * One run: a backlog in a new topic at the source, the mirror started, records counted at the destination until
     * all arrived or {@code maxSeconds} passed; with {@code outageSeconds} > 0 the link goes down once a quarter arrived.
     */
    private Run mirror(Mirror m, LossyLink.Shape shape, String compression, int outageSeconds) throws Exception {
        long records = outageSeconds > 0 ? OUTAGE_BACKLOG * this.records : this.records;
        String topic = "bench-wan-" + (++topics);
        SiteProcess.runToEnd(LossyLink.SITE_A, dir.resolve(topic + ".produce.log"), 300, "produce", bootstrapA(), topic,
                String.valueOf(records), compression);
        String mirrored = m.isQuicSync() ? topic : "A." + topic;
        if (!m.isQuicSync()) {
            link.tcpCongestionControl(m.variant);
        }
        Arrivals arrivals = new Arrivals();
        try (SiteProcess counter = SiteProcess.site(LossyLink.SITE_B, dir.resolve(topic + ".count.log"), arrivals::accept,
                "count", bootstrapB(), mirrored, String.valueOf(records))) {
            List<long[]> wire = new ArrayList<>(); // linkSample() every 100 ms
            wire.add(linkSample());
            List<AutoCloseable> mirror = startMirror(m, topic);
            long returnAt = 0;
            try {
                long deadline = System.currentTimeMillis() + (maxSeconds + outageSeconds) * 1000;
                while (arrivals.unique() < records && System.currentTimeMillis() < deadline) {
                    if (outageSeconds > 0 && returnAt == 0 && arrivals.unique() >= records / 10) {
                        link.outage(outageSeconds);
                        returnAt = System.currentTimeMillis() + outageSeconds * 1000L;
                        System.out.printf("    link down for %d s at %,d records%n", outageSeconds, arrivals.unique());
                    }
                    Thread.sleep(100);
                    wire.add(linkSample());
                }
                // Duplicates still on their way are counted too.
                Thread.sleep(1000);
            } finally {
                for (AutoCloseable c : mirror) {
                    c.close();
                }
            }
            return figures(m, shape, records, arrivals, wire, returnAt);
        }
    }

    /**
     * When the backlog began to cross the link: the first sample by which the source site had sent 2% of what it sent
     * in all. Records/s are timed from then to the last arrival, so neither side's start-up (JVMs, group joins,
     * handshakes) counts, and a side that fills the link's queue before its first record is written at the
     * destination is not flattered either.
     */
    private static long transferStart(List<long[]> wire) {
        long[] first = wire.get(0);
        long total = wire.get(wire.size() - 1)[1] - first[1];
        for (long[] s : wire) {
            if (s[1] - first[1] >= total / 50) {
                return s[0];
            }
        }
        return first[0];
    }

    /** {when, bytes site a sent on the link, bytes site b sent}. */
    private long[] linkSample() throws java.io.IOException {
        return new long[] {System.currentTimeMillis(), brokerA.linkBytes()[0], brokerB.linkBytes()[0]};
    }

    /** {@code wire}: bytes sent by each site on the link (see linkSample) every 100 ms of the run. */
    private Run figures(Mirror m, LossyLink.Shape shape, long records, Arrivals arrivals, List<long[]> wire, long returnAt) {
        long unique = arrivals.unique();
        long[] start = wire.get(0);
        long[] end = wire.get(wire.size() - 1);
        // Until the last arrival; a run where nothing arrived: until it was stopped.
        long until = unique == 0 ? end[0] : arrivals.lastAt();
        double seconds = Math.max(1e-3, (until - transferStart(wire)) / 1000.0);
        double rate = unique / seconds;
        double bytesPerRecord = unique == 0 ? 0 : (double) (end[1] - start[1] + end[2] - start[2]) / unique;
        // The link's use over the same time: what crossed from the source site per second, over the link's rate.
        double use = (end[1] - start[1]) / seconds / shape.bytesPerSecond();
        double resume = Double.NaN;
        if (returnAt > 0) {
            long after = arrivals.firstAfter(returnAt);
            resume = after == 0 ? Double.POSITIVE_INFINITY : (after - returnAt) / 1000.0;
        }
        return new Run(m, records, unique, arrivals.records(), rate, bytesPerRecord, use, resume, unique >= records);
    }

    private List<AutoCloseable> startMirror(Mirror m, String topic) throws Exception {
        String prefix = topic + "." + m.name().toLowerCase(Locale.ROOT);
        if (m.isQuicSync()) {
            Map<String, String> receiver = quicSyncSettings(m);
            receiver.putAll(LoopbackLink.receiver(LossyLink.ADDRESS_B, RECEIVER_PORT, certs, TOKEN));
            receiver.put("kafka.bootstrap", bootstrapB());
            Map<String, String> sender = quicSyncSettings(m);
            sender.putAll(LoopbackLink.sender(LossyLink.HOST_B, RECEIVER_PORT, certs, TOKEN));
            sender.put("kafka.bootstrap", bootstrapA());
            sender.put("quic-sync.topics.include", topic);
            ForkedJunction receiverJvm = ForkedJunction.startInNamespace(LossyLink.SITE_B, dir.resolve(prefix + ".receiver.log"),
                    receiver, "run", "--routes", "routes/quic-sync-receiver.camel.yaml");
            ForkedJunction senderJvm = ForkedJunction.startInNamespace(LossyLink.SITE_A, dir.resolve(prefix + ".sender.log"),
                    sender, "run", "--routes", "routes/quic-sync-sender.camel.yaml");
            return List.of(senderJvm::terminate, receiverJvm::terminate);
        }
        Path config = dir.resolve(prefix + ".mm2.properties");
        // Kafka's advice for a long round trip: socket buffers sized by the kernel, not a fixed 64 KB.
        Files.writeString(config, MirrorMakerConfig.oneTopic(bootstrapA(), bootstrapB(), topic, WanSite.PARTITIONS,
                "A.consumer.receive.buffer.bytes = -1"));
        SiteProcess mm2 = SiteProcess.start(LossyLink.SITE_B, dir.resolve(prefix + ".log"), line -> { }, List.of("-Xmx1g"),
                "org.apache.kafka.connect.mirror.MirrorMaker", config.toString());
        return List.of(mm2);
    }

    private Map<String, String> quicSyncSettings(Mirror m) {
        Map<String, String> p = new HashMap<>();
        p.put("camel.management.enabled", "false");
        p.put("quic-sync.transport", m.variant);
        options.values().forEach((k, v) -> { if (k.startsWith("quic-sync.")) { p.put(k, v); } });
        return p;
    }

    private void print(Run r) {
        String resume = Double.isNaN(r.resumeSeconds()) ? "" : String.format(Locale.ROOT, ", first record %.1f s after the link's return", r.resumeSeconds());
        System.out.printf(Locale.ROOT, "  %-30s %,9.0f records/s, %6.1f link bytes/record, link use %3.0f%%, %,d of %,d records (%,d copies)%s%s%n",
                r.mirror().label, r.recordsPerSecond(), r.wireBytesPerRecord(), 100 * r.linkUse(), r.mirrored(), r.backlog(),
                r.copies(), r.complete() ? "" : ", stopped at " + maxSeconds + " s", resume);
    }

    private static void report(String metric, Map<Mirror, Run> runs) {
        for (Mirror quic : List.of(Mirror.NATIVE, Mirror.KWIK)) {
            Run ours = runs.get(quic);
            if (ours == null) {
                continue;
            }
            String suffix = "_" + quic.variant;
            if (runs.containsKey(Mirror.MM2_BBR)) {
                Run bbr = runs.get(Mirror.MM2_BBR);
                Result.print(BENCH, metric + suffix, ours.recordsPerSecond(), "records/s", "mirrormaker2_bbr", bbr.recordsPerSecond(), "higher");
                Result.print(BENCH, metric.replace("throughput", "link_use") + suffix, 100 * ours.linkUse(), "percent",
                        "mirrormaker2_bbr", 100 * bbr.linkUse(), "higher");
            }
            if (runs.containsKey(Mirror.MM2_CUBIC)) {
                Result.print(BENCH, metric + suffix + "_vs_cubic", ours.recordsPerSecond(), "records/s", "mirrormaker2_cubic",
                        runs.get(Mirror.MM2_CUBIC).recordsPerSecond(), "higher");
            }
        }
    }

    private static void reportResume(Map<Mirror, Run> runs) {
        Run anchor = runs.getOrDefault(Mirror.MM2_BBR, runs.get(Mirror.MM2_CUBIC));
        for (Mirror quic : List.of(Mirror.NATIVE, Mirror.KWIK)) {
            Run ours = runs.get(quic);
            if (ours != null && anchor != null) {
                Result.print(BENCH, "resume_s_" + quic.variant, ours.resumeSeconds(), "s",
                        anchor.mirror() == Mirror.MM2_BBR ? "mirrormaker2_bbr" : "mirrormaker2_cubic", anchor.resumeSeconds(), "lower");
            }
        }
    }
}
