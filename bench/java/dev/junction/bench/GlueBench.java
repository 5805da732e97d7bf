package dev.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.junction.infra.Ports;

/**
 * {@code bench/run glue}: one publisher and three subscribers, each its own process, on loopback, reliable: glue
 * (GlueBenchPeer, a JVM each) against Eclipse Cyclone DDS's ddsperf (Debian's cyclonedds-tools, installed here if
 * missing) with the same sizes and layout. Throughput: messages/s per subscriber at full speed, 64 B, 8 KB and
 * 1 MB, over the seconds after the first two. Latency: one-way p99 at 10,000 messages/s of 64 B, the median of the
 * per-second p99s (as ddsperf reports them) of the worst subscriber. Each figure: the mean of the runs in
 * {@code --order} (default abba).
 */
final class GlueBench {

    private static final String DDS_URI = "<CycloneDDS><Domain id=\"any\"><General><Interfaces><NetworkInterface name=\"lo\"/>"
            + "</Interfaces><AllowMulticast>false</AllowMulticast></General><Discovery><Peers><Peer address=\"127.0.0.1\"/></Peers>"
            + "<ParticipantIndex>auto</ParticipantIndex><MaxAutoParticipantIndex>20</MaxAutoParticipantIndex></Discovery></Domain></CycloneDDS>";
    private static final Pattern OUR_SECOND = Pattern.compile("^SECOND (\\d+) count (\\d+) p50 (\\d+) p99 (\\d+)");
    private static final Pattern DDS_SECOND = Pattern.compile("^\\[\\d+\\] (\\d+\\.\\d+)\\s+size \\d+ total (\\d+) lost (\\d+)");
    private static final Pattern DDS_LATENCY = Pattern.compile("^\\[\\d+\\] \\d+\\.\\d+\\s+sublat \\S+ size \\d+ .* 99% ([\\d.]+)us");
    private static final Pattern DDS_GONE = Pattern.compile("participant \\S+: gone");
    private static final int SKIP_SECONDS = 2;

    private record Case(String metric, int size, int rate, String unit, String better) {
    }

    private GlueBench() {
    }

    static void run(BenchOptions options) throws Exception {
        int seconds = (int) options.number("seconds", 20, 6);
        String ddsperf = ensureDdsperf();
        Path logs = Path.of("target", "bench-glue");
        Files.createDirectories(logs);
        List<Case> cases = List.of(
                new Case("throughput_64", 64, 0, "msg/s", "higher"),
                new Case("throughput_8k", 8192, 0, "msg/s", "higher"),
                new Case("throughput_1m", 1024 * 1024, 0, "msg/s", "higher"),
                new Case("latency_p99", 64, 10_000, "us", "lower"));
        List<String> only = options.values().containsKey("metrics") ? List.of(options.values().get("metrics").split(",")) : null;
        List<String[]> results = new ArrayList<>();
        for (Case c : cases) {
            if (only != null && !only.contains(c.metric())) {
                continue;
            }
            List<Double> ours = new ArrayList<>();
            List<Double> anchor = new ArrayList<>();
            int run = 0;
            for (Side side : Side.order(options)) {
                Path dir = logs.resolve(c.metric() + "-" + side.name().toLowerCase(Locale.ROOT) + "-" + run++);
                Files.createDirectories(dir);
                double figure = side == Side.OURS ? ours(c, seconds, dir) : anchor(ddsperf, c, seconds, dir);
                System.err.printf(Locale.ROOT, "glue bench: %s %s %.0f %s (logs in %s)%n", c.metric(), side == Side.OURS ? "glue" : "ddsperf",
                        figure, c.unit(), dir);
                (side == Side.OURS ? ours : anchor).add(figure);
            }
            results.add(new String[] {c.metric(), String.valueOf(mean(ours)), c.unit(), String.valueOf(mean(anchor)), c.better()});
        }
        for (String[] r : results) {
            Result.print("glue", r[0], Double.parseDouble(r[1]), r[2], "cyclonedds-ddsperf", Double.parseDouble(r[3]), r[4]);
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** ddsperf, installed from Debian's cyclonedds-tools when it is not there. */
    private static String ensureDdsperf() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/bin/ddsperf"))) {
            return "/usr/bin/ddsperf";
        }
        System.err.println("glue bench: installing cyclonedds-tools (ddsperf) with apt-get");
        Process p = new ProcessBuilder("bash", "-c", "apt-get install -y -q cyclonedds-tools || (apt-get update -q && apt-get install -y -q cyclonedds-tools)")
                .inheritIO().start();
        if (p.waitFor() != 0 || !Files.isExecutable(Path.of("/usr/bin/ddsperf"))) {
            throw new IllegalStateException("could not install cyclonedds-tools (ddsperf); the glue benchmark needs root and Debian's packages");
        }
        return "/usr/bin/ddsperf";
    }

    // --- glue ---------------------------------------------------------------------------------------------------

    private static double ours(Case c, int seconds, Path dir) throws Exception {
        int port = Ports.freePort();
        String network = "bench-" + port;
        List<Process> subscribers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path log = dir.resolve("sub" + i + ".log");
            subscribers.add(java(dir, log, "sub", String.valueOf(port), network, String.valueOf(c.size()), String.valueOf(i)));
            awaitLine(log, "READY", 30);
        }
        Process publisher = java(dir, dir.resolve("pub.log"), "pub", String.valueOf(port), network, String.valueOf(c.size()),
                String.valueOf(seconds), String.valueOf(c.rate()));
        waitFor(publisher, seconds + 120, dir.resolve("pub.log"));
        for (int i = 0; i < 3; i++) {
            waitFor(subscribers.get(i), 60, dir.resolve("sub" + (i + 1) + ".log"));
        }
        List<Double> perSubscriber = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            List<long[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("sub" + i + ".log"))) {
                Matcher m = OUR_SECOND.matcher(line);
                if (m.find()) {
                    rows.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(4))});
                }
            }
            List<long[]> steady = rows.size() > SKIP_SECONDS ? rows.subList(SKIP_SECONDS, rows.size()) : List.of();
            if (steady.isEmpty()) {
                throw new IllegalStateException("glue subscriber " + i + " reported fewer than " + (SKIP_SECONDS + 1) + " seconds; see " + dir);
            }
            perSubscriber.add(c.rate() == 0 ? steady.stream().mapToLong(r -> r[0]).average().orElseThrow()
                    : median(steady.stream().map(r -> (double) r[1]).toList()));
        }
        System.err.println("glue bench: glue per subscriber " + perSubscriber + "; " + String.join(" ",
                Files.readAllLines(dir.resolve("pub.log")).stream().filter(l -> l.startsWith("PUBLISHED")).toList()));
        return c.rate() == 0 ? mean(perSubscriber) : Collections.max(perSubscriber);
    }

    private static Process java(Path dir, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx2g", "-cp", System.getProperty("java.class.path"), GlueBenchPeer.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    // --- Cyclone DDS --------------------------------------------------------------------------------------------

    private static double anchor(String ddsperf, Case c, int seconds, Path dir) throws Exception {
        List<Process> subscribers = new ArrayList<>();
        String size = c.size() >= 1024 * 1024 ? c.size() / (1024 * 1024) + "MB" : c.size() >= 1024 ? c.size() / 1024 + "k" : String.valueOf(c.size());
        for (int i = 1; i <= 3; i++) {
            List<String> cmd = new ArrayList<>(List.of(ddsperf, "-D", String.valueOf(seconds + 6)));
            if (c.rate() != 0) {
                cmd.add("-l");
            }
            cmd.add("sub");
            subscribers.add(dds(cmd, dir.resolve("sub" + i + ".log")));
        }
        List<String> pub = new ArrayList<>(List.of(ddsperf, "-D", String.valueOf(seconds), "-Qminmatch:3", "-Qinitwait:15", "pub"));
        if (c.rate() != 0) {
            pub.add(c.rate() + "Hz");
        }
        pub.addAll(List.of("size", size));
        Process publisher = dds(pub, dir.resolve("pub.log"));
        waitFor(publisher, seconds + 60, dir.resolve("pub.log"));
        for (int i = 0; i < 3; i++) {
            waitFor(subscribers.get(i), 60, dir.resolve("sub" + (i + 1) + ".log"));
        }
        List<Double> perSubscriber = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("sub" + i + ".log"))) {
                if (DDS_GONE.matcher(line).find()) {
                    break; // the publisher left: the rest is a partial second
                }
                lines.add(line);
            }
            perSubscriber.add(c.rate() == 0 ? ddsThroughput(lines, dir) : ddsLatency(lines, dir));
        }
        System.err.println("glue bench: ddsperf per subscriber " + perSubscriber);
        return c.rate() == 0 ? mean(perSubscriber) : Collections.max(perSubscriber);
    }

    private static double ddsThroughput(List<String> lines, Path dir) {
        List<double[]> rows = new ArrayList<>();
        for (String line : lines) {
            Matcher m = DDS_SECOND.matcher(line);
            if (m.find()) {
                rows.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        if (rows.size() < SKIP_SECONDS + 2) {
            throw new IllegalStateException("ddsperf subscriber reported too few seconds; see " + dir);
        }
        double[] first = rows.get(SKIP_SECONDS);
        double[] last = rows.get(rows.size() - 1);
        return (last[1] - first[1]) / (last[0] - first[0]);
    }

    private static double ddsLatency(List<String> lines, Path dir) {
        List<Double> p99 = new ArrayList<>();
        for (String line : lines) {
            Matcher m = DDS_LATENCY.matcher(line);
            if (m.find()) {
                p99.add(Double.parseDouble(m.group(1)));
            }
        }
        if (p99.size() <= SKIP_SECONDS) {
            throw new IllegalStateException("ddsperf subscriber reported too few latency seconds; see " + dir);
        }
        return median(p99.subList(SKIP_SECONDS, p99.size()));
    }

    private static Process dds(List<String> cmd, Path log) throws IOException {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("CYCLONEDDS_URI", DDS_URI);
        return b.start();
    }

    // --- both ---------------------------------------------------------------------------------------------------

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void waitFor(Process p, int seconds, Path log) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("a benchmark process did not end within " + seconds + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("a benchmark process failed (exit " + p.exitValue() + "); see " + log);
        }
    }

    private static void awaitLine(Path log, String prefix, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            Thread.sleep(50); // polling a child's log file: there is no other signal to wait on
        }
        throw new IllegalStateException("no " + prefix + " line within " + seconds + " s in " + log);
    }
}
