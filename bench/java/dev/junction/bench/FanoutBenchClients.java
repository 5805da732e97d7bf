package dev.junction.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.junction.fanout.client.FanoutClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The receiving side of {@code bench/run fanout}, in a JVM of its own (started by {@link FanoutBench}): either
 * several {@link FanoutClient}s connected to a fanout daemon, or as many Kafka share-group consumers
 * ({@link KafkaShareConsumer}, explicit acknowledgement), each acknowledging every record.
 * <pre>
 * FanoutBenchClients fanout-throughput|fanout-latency --server host:port --clients 4 --max-in-flight 500 --records N
 * FanoutBenchClients share-throughput|share-latency --bootstrap host:port --topic T --group G --clients 4 --records N
 * </pre>
 * It talks to the benchmark over stdout and stdin: lines starting with {@code @} are for the benchmark
 * ({@code @READY}, {@code @PRIMED}, {@code @DONE key=value ...}), lines starting with {@code bench-clients:} are
 * progress to show; the benchmark writes {@code go} to start the clock of a throughput run.
 * <p>
 * Throughput: records are counted once per (partition, offset), from {@code go} to the last acknowledgement of the
 * last new record. Latency: each record's value carries its produce time (epoch microseconds, written by the
 * benchmark right before {@code send}) and a sequence number; the latency of a record is its first
 * acknowledgement's wall-clock time minus that produce time. Records with a negative sequence number prime the
 * path (group assignment, connections) and are not measured.
 */
public final class FanoutBenchClients {

    private static final String PROGRESS = "bench-clients: ";

    private FanoutBenchClients() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        int clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        long records = Long.parseLong(o.get("records"));
        long timeoutSeconds = Long.parseLong(o.getOrDefault("timeout-seconds", "1200"));
        boolean latency = args[0].endsWith("-latency");
        long warmUp = Long.parseLong(o.getOrDefault("warm-up", "0"));
        Sink sink = latency ? new LatencySink(records, clients) : new ThroughputSink(records, warmUp);
        AutoCloseable receivers;
        long t0;
        if (args[0].startsWith("fanout-")) {
            int maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "500"));
            String server = o.get("server");
            if (latency) {
                List<FanoutClient> list = fanoutClients(server, clients, maxInFlight, sink);
                receivers = () -> list.forEach(FanoutClient::close);
                for (FanoutClient c : list) {
                    if (!c.awaitConnected(Duration.ofSeconds(120))) {
                        throw new IllegalStateException(c.name() + " did not connect to " + server + " within 120 s"
                                + (c.lastCloseReason() == null ? "" : " (last close: " + c.lastCloseReason() + ")"));
                    }
                }
                say("@READY");
                t0 = System.nanoTime();
            } else {
                // Netty's and the client's classes loaded before the clock starts, as the share consumers' are.
                FanoutClient.builder().servers("localhost:1").name("warm-up").handler(r -> { }).start().close();
                say("@READY");
                awaitGo();
                t0 = System.nanoTime();
                List<FanoutClient> list = fanoutClients(server, clients, maxInFlight, sink);
                receivers = () -> list.forEach(FanoutClient::close);
            }
        } else if (args[0].startsWith("share-")) {
            ShareConsumers consumers = new ShareConsumers(o.get("bootstrap"), o.get("topic"), o.get("group"), clients,
                    "sync".equals(o.get("commit")), sink);
            receivers = consumers;
            say("@READY");
            if (!latency) {
                awaitGo();
            }
            t0 = System.nanoTime();
            consumers.start();
        } else {
            throw new IllegalArgumentException("mode is fanout-throughput, fanout-latency, share-throughput or share-latency, not " + args[0]);
        }
        sink.startedAt = t0;
        Thread progress = new Thread(() -> progress(sink, t0), "bench-clients-progress");
        progress.setDaemon(true);
        progress.start();
        boolean complete = sink.done.await(timeoutSeconds, TimeUnit.SECONDS);
        say("@DONE complete=" + complete + " " + sink.summary(t0));
        try {
            receivers.close();
        } catch (Exception e) {
            say(PROGRESS + "closing the clients failed: " + e);
        }
        System.exit(0);
    }

    private static void awaitGo() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("go")) {
                return;
            }
        }
        throw new IllegalStateException("stdin closed before 'go'");
    }

    private static void progress(Sink sink, long t0) {
        long lastCount = 0;
        long lastAt = t0;
        while (true) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long count = sink.unique();
            say(String.format(Locale.ROOT, "%s%,d of %,d records acknowledged (%,d deliveries), %,.0f records/s over the last %.0f s",
                    PROGRESS, count, sink.target, sink.deliveries.get(), (count - lastCount) / ((now - lastAt) / 1e9), (now - lastAt) / 1e9));
            lastCount = count;
            lastAt = now;
        }
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static List<FanoutClient> fanoutClients(String server, int n, int maxInFlight, Sink sink) {
        List<FanoutClient> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int client = i;
            list.add(FanoutClient.builder().servers(server).name("bench-" + (i + 1)).maxInFlight(maxInFlight)
                    .handler(record -> {
                        record.ack();
                        sink.acknowledged(client, record.partition(), record.offset(), record.value());
                    }).start());
        }
        return list;
    }

    /** {@code n} share consumers of one group, each on a thread of its own. */
    private static final class ShareConsumers implements AutoCloseable {
        private final List<KafkaShareConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final boolean commitSync;
        private final Sink sink;

        ShareConsumers(String bootstrap, String topic, String group, int n, boolean commitSync, Sink sink) {
            this.commitSync = commitSync;
            this.sink = sink;
            for (int i = 0; i < n; i++) {
                Map<String, Object> p = new HashMap<>();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + (i + 1));
                p.put("share.acknowledgement.mode", "explicit");
                KafkaShareConsumer<byte[], byte[]> c = new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                c.subscribe(List.of(topic));
                consumers.add(c);
            }
        }

        void start() {
            for (int i = 0; i < consumers.size(); i++) {
                int index = i;
                KafkaShareConsumer<byte[], byte[]> c = consumers.get(i);
                Thread t = new Thread(() -> {
                    try {
                        while (running.get()) {
                            var polled = c.poll(Duration.ofMillis(100));
                            if (polled.isEmpty()) {
                                continue;
                            }
                            for (ConsumerRecord<byte[], byte[]> r : polled) {
                                c.acknowledge(r);
                                sink.acknowledged(index, r.partition(), r.offset(), r.value());
                            }
                            if (commitSync) {
                                c.commitSync();
                            } else {
                                c.commitAsync();
                            }
                        }
                    } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                        // closing
                    } catch (RuntimeException e) {
                        say(PROGRESS + "share consumer " + (index + 1) + " failed: " + e);
                    } finally {
                        try {
                            c.commitSync(Duration.ofSeconds(5));
                        } catch (RuntimeException ignored) {
                            // best effort
                        }
                        c.close(Duration.ofSeconds(5));
                    }
                }, "share-consumer-" + (i + 1));
                threads.add(t);
                t.start();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }
    }

    /** What the receivers report each acknowledged record to. */
    abstract static class Sink {
        final long target;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong deliveries = new AtomicLong();
        volatile long startedAt;
        volatile long firstAt;
        volatile long lastNewAt;

        Sink(long target) {
            this.target = target;
        }

        abstract void acknowledged(int client, int partition, long offset, byte[] value);

        abstract long unique();

        abstract String summary(long t0);
    }

    /**
     * Counts each (partition, offset) once; done at {@code target}. The steady rate leaves out the first
     * {@code warmUp} records (the receivers' and the daemon's fresh JVMs compiling their paths).
     */
    static final class ThroughputSink extends Sink {
        private final Map<Integer, BitSet> seen = new HashMap<>();
        private final long warmUp;
        private long count;
        private long warmedAt;

        ThroughputSink(long target, long warmUp) {
            super(target);
            this.warmUp = warmUp;
        }

        @Override
        void acknowledged(int client, int partition, long offset, byte[] value) {
            long now = System.nanoTime();
            deliveries.incrementAndGet();
            synchronized (this) {
                if (firstAt == 0) {
                    firstAt = now;
                }
                BitSet bits = seen.computeIfAbsent(partition, p -> new BitSet());
                if (!bits.get((int) offset)) {
                    bits.set((int) offset);
                    count++;
                    lastNewAt = now;
                    if (count == warmUp) {
                        warmedAt = now;
                    }
                    if (count == target) {
                        done.countDown();
                    }
                }
            }
        }

        @Override
        synchronized long unique() {
            return count;
        }

        @Override
        synchronized String summary(long t0) {
            double seconds = (lastNewAt - t0) / 1e9;
            double firstToLast = (lastNewAt - firstAt) / 1e9;
            long from = warmUp == 0 ? t0 : warmedAt;
            double steadySeconds = (lastNewAt - from) / 1e9;
            return String.format(Locale.ROOT, "unique=%d deliveries=%d seconds=%.3f rate=%.1f first_to_last_seconds=%.3f first_to_last_rate=%.1f"
                            + " warm_up=%d steady_seconds=%.3f steady_rate=%.1f",
                    count, deliveries.get(), seconds, count / Math.max(1e-3, seconds), firstToLast,
                    count / Math.max(1e-3, firstToLast), warmUp, steadySeconds, (count - warmUp) / Math.max(1e-3, steadySeconds));
        }
    }

    /** Latency of each measured record (sequence number 0..target-1) at its first acknowledgement. */
    static final class LatencySink extends Sink {
        /** Latency in microseconds + 1 (0: not received yet). */
        private final AtomicLongArray latency;
        private final AtomicLong received = new AtomicLong();
        private final AtomicInteger primedClients = new AtomicInteger();
        private final boolean[] primed;
        private volatile long firstPrimedAt;
        private final AtomicBoolean primedSaid = new AtomicBoolean();

        LatencySink(long target, int clients) {
            super(target);
            latency = new AtomicLongArray((int) target);
            primed = new boolean[clients];
            Thread watch = new Thread(this::watchPriming, "bench-clients-priming");
            watch.setDaemon(true);
            watch.start();
        }

        @Override
        void acknowledged(int client, int partition, long offset, byte[] value) {
            long now = epochMicros(Instant.now());
            deliveries.incrementAndGet();
            ByteBuffer b = ByteBuffer.wrap(value);
            long producedAt = b.getLong(0);
            long seq = b.getLong(8);
            if (seq < 0) {
                synchronized (primed) {
                    if (!primed[client]) {
                        primed[client] = true;
                        primedClients.incrementAndGet();
                    }
                    if (firstPrimedAt == 0) {
                        firstPrimedAt = System.nanoTime();
                    }
                }
                return;
            }
            if (seq < target && latency.compareAndSet((int) seq, 0, Math.max(0, now - producedAt) + 1)) {
                if (firstAt == 0) {
                    firstAt = System.nanoTime();
                }
                if (received.incrementAndGet() == target) {
                    done.countDown();
                }
            }
        }

        /** {@code @PRIMED} once every client had a priming record, or 20 s after the first one reached any client. */
        private void watchPriming() {
            while (true) {
                boolean all = primedClients.get() == primed.length;
                boolean late = firstPrimedAt != 0 && System.nanoTime() - firstPrimedAt > TimeUnit.SECONDS.toNanos(20);
                if ((all || late) && primedSaid.compareAndSet(false, true)) {
                    say(all ? "@PRIMED" : "@PRIMED only " + primedClients.get() + " of " + primed.length + " clients got records");
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        long unique() {
            return received.get();
        }

        @Override
        String summary(long t0) {
            double[] ms = new double[(int) received.get()];
            int k = 0;
            for (int i = 0; i < latency.length() && k < ms.length; i++) {
                long v = latency.get(i);
                if (v != 0) {
                    ms[k++] = (v - 1) / 1000.0;
                }
            }
            Arrays.sort(ms, 0, k);
            double[] sorted = Arrays.copyOf(ms, k);
            return String.format(Locale.ROOT, "received=%d deliveries=%d p50=%.3f p99=%.3f max=%.3f",
                    k, deliveries.get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                    k == 0 ? Double.NaN : sorted[k - 1]);
        }
    }

    static long epochMicros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
    }
}
