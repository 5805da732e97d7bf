package dev.junction.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.junction.fanout.client.FanoutClient;
import dev.junction.infra.EmbeddedKafka;
import dev.junction.infra.Ports;
import dev.junction.support.KafkaProbe;
import dev.junction.testing.ForkedJunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code bench/run fanout}: the fanout daemon ({@code java dev.junction.launcher.Junction fanout ...}, a JVM of its
 * own, routes/fanout.camel.yaml) delivering a Kafka topic to acknowledging TCP clients, against the anchor, a Kafka
 * share group (KIP-932: {@link KafkaShareConsumer}s, explicit acknowledgement), on one embedded broker (this JVM).
 * <ol>
 * <li>throughput: 4 receivers acknowledge a backlog of 200-byte records in a 4-partition topic (ProducerPerformance,
 * beforehand); records/s in the steady state, each (partition, offset) counted once: from the acknowledgement of the
 * last of the first {@code --warm-up} records (the receivers' JVM and the daemon's are fresh, and compile their
 * paths meanwhile; a daemon runs for days) to that of the last of the next {@code --records}. The rate from
 * start-ready (fanout: the daemon's "is the leader now" log line; share group: the consumers subscribed) is printed
 * too. The receivers run in a
 * JVM of their own ({@link FanoutBenchClients}): 4 FanoutClients, or 4 share consumers of one group. After a
 * warm-up of the broker with ConsumerPerformance, by default fanout, share group, share group, fanout (each run on
 * a topic of its own); each side's mean.</li>
 * <li>latency_p99: at a fixed offered rate (a producer in this JVM writes each record's produce time into its
 * value), after a warm-up at that rate (not measured: the daemon is a fresh JVM, the broker a warm one), p99 of the
 * wall-clock time of the first acknowledgement minus the produce time, receivers in a JVM of their own as in 1.</li>
 * <li>redelivery_ms: one receiver that never acknowledges in time and one that does (both in this JVM, one clock):
 * p99 of (received by the healthy one - first delivered to the stuck one). Fanout: ack timeout 1000 ms
 * ({@code camel.component.fanout.ackTimeoutMs}), 200 records/s, the stuck client never acknowledges; share group:
 * acquisition lock of 1000 ms ({@code share.record.lock.duration.ms}), rounds of 100 records (see
 * {@link #shareRedelivery}). Goal: fanout's p99 &lt;= ack timeout + 100 ms.</li>
 * </ol>
 * Phases 2 and 3 of the fanout use one daemon, started with the 1000 ms ack timeout (its latency clients acknowledge
 * at once, so the timeout does not come into play there; a redelivery would show in the deliveries count).
 */
public final class FanoutBench {

    private static final String BENCH = "fanout";
    private static final String ANCHOR = "kafka-share-group";
    private static final int PARTITIONS = 4;
    private static final int RECORD_SIZE = 200;
    private static final int ACK_TIMEOUT_MS = 1000;
    private static final int STUCK_IN_FLIGHT = 100;
    private static final int REDELIVERY_RATE = 200;
    /** Sequence numbers of the latency warm-up's records: negative, so the receivers do not measure them. */
    private static final long WARM_UP_SEQ = Long.MIN_VALUE / 2;
    private static final AtomicLong RUNS = new AtomicLong();

    private FanoutBench() {
    }

    /** The settings of one benchmark run. */
    private record Settings(long records, long warmUp, int clients, int maxInFlight, long latencyRate, long latencySeconds,
                            long latencyWarmUpSeconds, long redeliverySeconds, boolean shareCommitSync) {
        /** Records in each throughput run's topic: the warm-up's, then the measured ones. */
        long backlog() {
            return warmUp + records;
        }
    }

    static void run(BenchOptions options) throws Exception {
        Settings s = new Settings(options.number("records", 1_000_000, 200_000),
                options.number("warm-up", 300_000, 100_000),
                (int) options.number("clients", 4, 4),
                (int) options.number("max-in-flight", 500, 500),
                options.number("latency-rate", 10_000, 5_000),
                options.number("latency-seconds", 30, 8),
                options.number("latency-warm-up-seconds", 10, 4),
                options.number("redelivery-seconds", 20, 5),
                "sync".equals(options.values().getOrDefault("share-commit", "async")));
        List<Side> order = Side.order(options);
        Path dir = Files.createTempDirectory("bench-fanout");
        // The share group's acquisition lock may go down to the fanout's ack timeout (the broker's minimum is 15 s).
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0,
                Map.of("group.share.min.record.lock.duration.ms", String.valueOf(ACK_TIMEOUT_MS)));
        String bootstrap = kafka.bootstrapServers();
        Configurator.setLevel("dev.junction.fanout.client", Level.ERROR); // the stuck client's cut-offs, every second
        try (TopicCounter topics = new TopicCounter(bootstrap);
             Admin admin = Admin.create(KafkaProbe.quickAdminConfig(bootstrap, Duration.ofSeconds(30)))) {
            System.out.printf("fanout: %,d records of %d bytes, %d partitions, %d receivers (max in flight %d), broker %s, order %s;"
                            + " receivers of throughput and latency in a JVM of their own (FanoutBenchClients), of redelivery in this one;"
                            + " fanout daemon in its own JVM%n",
                    s.records(), RECORD_SIZE, PARTITIONS, s.clients(), s.maxInFlight(), bootstrap, order);
            long start = System.nanoTime();
            for (int i = 0; i < order.size(); i++) {
                topics.create(topic(order.get(i), i), PARTITIONS);
                double rate = KafkaPerfTools.produce(bootstrap, topic(order.get(i), i), s.backlog(), RECORD_SIZE);
                System.out.printf("  backlog %s: %,d records produced (%,.0f records/s)%n", topic(order.get(i), i), s.backlog(), rate);
            }
            double warm = KafkaPerfTools.consume(bootstrap, topic(order.get(0), 0), s.records());
            long shared = shareWarmUp(admin, bootstrap, topic(order.get(0), 0), Math.min(s.records(), 20_000));
            System.out.printf("  broker warmed up with ConsumerPerformance (%,.0f records/s) and a share group (%,d records,"
                    + " creates the share-group state topic); %.0f s so far%n", warm, shared, (System.nanoTime() - start) / 1e9);

            // 1. throughput
            List<Double> ours = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                String topic = topic(order.get(i), i);
                if (order.get(i) == Side.OURS) {
                    ours.add(fanoutThroughput(dir, bootstrap, topic, s));
                    System.out.printf("  run %d: fanout daemon, %d FanoutClients        %,10.0f records/s%n", i + 1, s.clients(), last(ours));
                } else {
                    share.add(shareThroughput(dir, admin, bootstrap, topic, s));
                    System.out.printf("  run %d: share group, %d KafkaShareConsumers    %,10.0f records/s%n", i + 1, s.clients(), last(share));
                }
            }
            double oursMean = mean(ours);
            double shareMean = mean(share);
            System.out.printf("  throughput means: fanout %,.0f, share group %,.0f records/s (ratio %.2f); %.0f s so far%n",
                    oursMean, shareMean, oursMean / shareMean, (System.nanoTime() - start) / 1e9);

            // 2 and 3: one fanout daemon, ack timeout 1000 ms, for its latency and its redelivery figures; then the
            // share group's, with no daemon running
            long total = s.latencyRate() * s.latencySeconds();
            String fanoutTopic = "bench-fanout-latency";
            topics.create(fanoutTopic, PARTITIONS);
            int port = Ports.freePort();
            double[] oursLatency;
            double[] oursRedelivery;
            Daemon daemon = Daemon.start(dir, bootstrap, fanoutTopic, port,
                    Map.of("camel.component.fanout.ackTimeoutMs", String.valueOf(ACK_TIMEOUT_MS)));
            try (daemon) {
                daemon.awaitLeader(Duration.ofSeconds(120));
                oursLatency = fanoutLatency(dir, bootstrap, fanoutTopic, port, daemon, total, s);
                oursRedelivery = fanoutRedelivery(bootstrap, fanoutTopic, port, daemon, s);
                daemon.stop();
            }
            double[] shareLatency = shareLatency(dir, topics, admin, bootstrap, total, s);
            double[] shareRedelivery = shareRedelivery(topics, admin, bootstrap, s);
            System.out.printf("  latency at %,d records/s for %d s (after %d s of warm-up at that rate): fanout p50 %.1f ms,"
                            + " p99 %.1f ms; share group p50 %.1f ms, p99 %.1f ms%n", s.latencyRate(), s.latencySeconds(),
                    s.latencyWarmUpSeconds(), oursLatency[0], oursLatency[1], shareLatency[0], shareLatency[1]);
            System.out.printf("  redelivery (timeout %d ms): fanout p50 %.0f ms, p99 %.0f ms (goal <= %d ms: %s); share group p50 %.0f ms,"
                            + " p99 %.0f ms; %.0f s in all%n", ACK_TIMEOUT_MS, oursRedelivery[0], oursRedelivery[1],
                    ACK_TIMEOUT_MS + 100, oursRedelivery[1] <= ACK_TIMEOUT_MS + 100 ? "met" : "not met",
                    shareRedelivery[0], shareRedelivery[1], (System.nanoTime() - start) / 1e9);

            Result.print(BENCH, "throughput", oursMean, "records/s", ANCHOR, shareMean, "higher");
            Result.print(BENCH, "latency_p99", oursLatency[1], "ms", ANCHOR, shareLatency[1], "lower");
            Result.print(BENCH, "redelivery_ms", oursRedelivery[1], "ms", ANCHOR, shareRedelivery[1], "lower");
        } finally {
            kafka.closeAndDelete();
        }
    }

    private static String topic(Side side, int run) {
        return (side == Side.OURS ? "bench-fanout-" : "bench-share-") + (run + 1);
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------------------------------------- throughput

    private static double fanoutThroughput(Path dir, String bootstrap, String topic, Settings s) throws Exception {
        int port = Ports.freePort();
        try (Receivers receivers = Receivers.start(dir, topic, "fanout-throughput", "--server", "localhost:" + port,
                "--clients", String.valueOf(s.clients()), "--max-in-flight", String.valueOf(s.maxInFlight()),
                "--records", String.valueOf(s.backlog()), "--warm-up", String.valueOf(s.warmUp()))) {
            receivers.await("@READY", Duration.ofSeconds(60));
            Daemon daemon = Daemon.start(dir, bootstrap, topic, port, Map.of());
            try (daemon) {
                daemon.awaitLeader(Duration.ofSeconds(120));
                receivers.send("go");
                Map<String, String> done = receivers.done(Duration.ofMinutes(20), daemon);
                printThroughput("fanout", "after the daemon led", done);
                daemon.stop();
                return Double.parseDouble(done.get("steady_rate"));
            }
        }
    }

    private static double shareThroughput(Path dir, Admin admin, String bootstrap, String topic, Settings s) throws Exception {
        String group = "bench-share-group-" + topic;
        configureShareGroup(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        try (Receivers receivers = Receivers.start(dir, topic, "share-throughput", "--bootstrap", bootstrap,
                "--topic", topic, "--group", group, "--clients", String.valueOf(s.clients()),
                "--records", String.valueOf(s.backlog()), "--warm-up", String.valueOf(s.warmUp()),
                "--commit", s.shareCommitSync() ? "sync" : "async")) {
            receivers.await("@READY", Duration.ofSeconds(60));
            receivers.send("go");
            Map<String, String> done = receivers.done(Duration.ofMinutes(20), null);
            printThroughput("share group", "after subscribing", done);
            return Double.parseDouble(done.get("steady_rate"));
        }
    }

    private static void printThroughput(String side, String since, Map<String, String> done) {
        System.out.printf("    %s: %s unique records in %s s %s (%s deliveries), %,.0f records/s; after the first %s"
                        + " (warm-up): %,.0f records/s over %s s%n", side, done.get("unique"), done.get("seconds"), since,
                done.get("deliveries"), Double.parseDouble(done.get("rate")), done.get("warm_up"),
                Double.parseDouble(done.get("steady_rate")), done.get("steady_seconds"));
    }

    /**
     * Reads {@code records} of {@code topic} with a share consumer in a group of its own: the broker creates its
     * share-group state topic at the first share group, a one-time cost no measured run should pay.
     */
    private static long shareWarmUp(Admin admin, String bootstrap, String topic, long records) throws Exception {
        String group = "bench-share-warm-up";
        configureShareGroup(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        long count = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (KafkaShareConsumer<byte[], byte[]> c = shareConsumer(bootstrap, group, "warm-up", 500)) {
            c.subscribe(List.of(topic));
            while (count < records && System.nanoTime() < deadline) {
                var polled = c.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    c.acknowledge(record);
                    count++;
                }
                if (!polled.isEmpty()) {
                    c.commitAsync();
                }
            }
            c.commitSync(Duration.ofSeconds(10));
        }
        return count;
    }

    private static void configureShareGroup(Admin admin, String group, Map<String, String> configs) throws Exception {
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all()
                .get(30, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------- latency

    /** Returns {p50, p99} in ms. */
    private static double[] fanoutLatency(Path dir, String bootstrap, String topic, int port, Daemon daemon, long total,
            Settings s) throws Exception {
        try (Receivers receivers = Receivers.start(dir, topic, "fanout-latency", "--server", "localhost:" + port,
                "--clients", String.valueOf(s.clients()), "--max-in-flight", String.valueOf(s.maxInFlight()),
                "--records", String.valueOf(total),
                "--timeout-seconds", String.valueOf(s.latencyWarmUpSeconds() + s.latencySeconds() + 90))) {
            return offeredLatency("fanout", bootstrap, topic, receivers, daemon, total, s);
        }
    }

    private static double[] shareLatency(Path dir, TopicCounter topics, Admin admin, String bootstrap, long total,
            Settings s) throws Exception {
        String topic = "bench-share-latency";
        topics.create(topic, PARTITIONS);
        String group = "bench-share-group-latency";
        configureShareGroup(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        try (Receivers receivers = Receivers.start(dir, topic, "share-latency", "--bootstrap", bootstrap,
                "--topic", topic, "--group", group, "--clients", String.valueOf(s.clients()),
                "--records", String.valueOf(total),
                "--timeout-seconds", String.valueOf(s.latencyWarmUpSeconds() + s.latencySeconds() + 90),
                "--commit", s.shareCommitSync() ? "sync" : "async")) {
            return offeredLatency("share group", bootstrap, topic, receivers, null, total, s);
        }
    }

    /**
     * Primes the path until every receiver had a record, offers records at the set rate for the warm-up (not
     * measured: the daemon is a fresh JVM, the broker is warm), then offers the {@code total} measured records.
     */
    private static double[] offeredLatency(String side, String bootstrap, String topic, Receivers receivers, Daemon daemon,
            long total, Settings s) throws Exception {
        receivers.await("@READY", Duration.ofSeconds(150));
        long primers = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (receivers.find("@PRIMED") == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(side + ": the receivers got no priming record within 120 s; their log: "
                            + receivers.log + (daemon == null ? "" : "; the daemon's log: " + daemon.log));
                }
                producer.send(record(topic, -1 - primers, (int) (primers % PARTITIONS)));
                primers++;
                Thread.sleep(10);
            }
            String primed = receivers.find("@PRIMED");
            long warmUp = s.latencyRate() * s.latencyWarmUpSeconds();
            System.out.printf("    %s: primed with %d records%s; warm-up: %,d records/s for %d s%n", side, primers,
                    primed.length() > 7 ? " (" + primed.substring(8) + ")" : "", s.latencyRate(), s.latencyWarmUpSeconds());
            offer(producer, topic, warmUp, s.latencyRate(), side + " warm-up", PARTITIONS, WARM_UP_SEQ);
            System.out.printf("    %s: measuring: %,d records/s for %d s%n", side, s.latencyRate(), s.latencySeconds());
            double offered = offer(producer, topic, total, s.latencyRate(), side, PARTITIONS, 0);
            System.out.printf("    %s: offered %,.0f records/s%n", side, offered);
            primers += warmUp;
        }
        Map<String, String> done = receivers.done(Duration.ofSeconds(s.latencySeconds() + 120), daemon);
        System.out.printf("    %s: %s of %,d records acknowledged (%s deliveries): p50 %s ms, p99 %s ms, max %s ms%n", side,
                done.get("received"), total, done.get("deliveries"), done.get("p50"), done.get("p99"), done.get("max"));
        long redelivered = Long.parseLong(done.get("deliveries")) - total - primers;
        if (redelivered > 0) {
            System.out.printf("    %s: note: %,d deliveries were redeliveries (a record delivered twice)%n", side, redelivered);
        }
        return new double[] {Double.parseDouble(done.get("p50")), Double.parseDouble(done.get("p99"))};
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A record whose value starts with its produce time (epoch µs, now) and its sequence number. */
    private static ProducerRecord<byte[], byte[]> record(String topic, long seq, int partition) {
        ByteBuffer value = ByteBuffer.allocate(RECORD_SIZE);
        value.putLong(0, FanoutBenchClients.epochMicros(Instant.now()));
        value.putLong(8, seq);
        return new ProducerRecord<>(topic, partition, null, value.array());
    }

    /**
     * Sends records {@code firstSeq..firstSeq+total-1} at {@code rate} per second, round robin over {@code spread}
     * partitions; returns the rate achieved.
     */
    private static double offer(KafkaProducer<byte[], byte[]> producer, String topic, long total, long rate, String side,
            int spread, long firstSeq) {
        long start = System.nanoTime();
        long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
        long sent = 0;
        while (sent < total) {
            long now = System.nanoTime();
            long due = Math.min(total, (now - start) * rate / 1_000_000_000L + 1);
            while (sent < due) {
                producer.send(record(topic, firstSeq + sent, (int) (sent % spread)));
                sent++;
            }
            if (now > nextProgress) {
                System.out.printf("      %s: %,d of %,d records offered%n", side, sent, total);
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
            LockSupport.parkNanos(200_000);
        }
        producer.flush();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------- redelivery

    /** One stuck receiver's first deliveries and a healthy receiver's receipts of the same records, in nanoTime. */
    private static final class Redeliveries {
        final Map<Long, Long> firstAtStuck = new ConcurrentHashMap<>();
        final Map<Long, Long> laterAtHealthy = new ConcurrentHashMap<>();
        final AtomicLong backToStuck = new AtomicLong();

        static long key(int partition, long offset) {
            return ((long) partition << 48) | offset;
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !laterAtHealthy.keySet().containsAll(firstAtStuck.keySet())) {
                Thread.sleep(50);
            }
        }

        /** {p50, p99} of (received by the healthy receiver - first delivered to the stuck one), in ms. */
        double[] figures(String side) {
            List<Double> ms = new ArrayList<>();
            long missing = 0;
            long before = 0;
            for (Map.Entry<Long, Long> e : firstAtStuck.entrySet()) {
                Long later = laterAtHealthy.get(e.getKey());
                if (later == null) {
                    missing++;
                } else if (later < e.getValue()) {
                    before++; // the stuck receiver's client had it buffered while the lock already ran (share group)
                } else {
                    ms.add((later - e.getValue()) / 1e6);
                }
            }
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "    %s: %d records held by the stuck receiver, %d of them received by the healthy one"
                            + " (p50 %.0f ms, p99 %.0f ms, max %.0f ms); %d not received by it, %d received by it before"
                            + " the stuck one saw them, %d redeliveries went back to the stuck receiver%n",
                    side, firstAtStuck.size(), sorted.length, FanoutBenchClients.percentile(sorted, 0.5),
                    FanoutBenchClients.percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
                    missing, before, backToStuck.get());
            if (sorted.length == 0) {
                throw new IllegalStateException(side + ": no record went from the stuck receiver to the healthy one");
            }
            return new double[] {FanoutBenchClients.percentile(sorted, 0.5), FanoutBenchClients.percentile(sorted, 0.99)};
        }
    }

    /**
     * Fanout, ack timeout 1000 ms: a client that never acknowledges, one that does, both FanoutClients in this JVM, on
     * the latency phase's daemon and topic; 200 records/s.
     */
    private static double[] fanoutRedelivery(String bootstrap, String topic, int port, Daemon daemon, Settings s)
            throws Exception {
        Redeliveries r = new Redeliveries();
        FanoutClient stuck = FanoutClient.builder().servers("localhost:" + port).name("stuck").maxInFlight(STUCK_IN_FLIGHT)
                .handler(record -> {
                    long key = Redeliveries.key(record.partition(), record.offset());
                    if (record.attempt() == 1) {
                        r.firstAtStuck.putIfAbsent(key, System.nanoTime());
                    } else {
                        r.backToStuck.incrementAndGet();
                    }
                }).start();
        FanoutClient healthy = FanoutClient.builder().servers("localhost:" + port).name("healthy").maxInFlight(s.maxInFlight())
                .handler(record -> {
                    long now = System.nanoTime();
                    record.ack();
                    if (record.attempt() > 1) {
                        r.laterAtHealthy.putIfAbsent(Redeliveries.key(record.partition(), record.offset()), now);
                    }
                }).start();
        try {
            for (FanoutClient c : List.of(stuck, healthy)) {
                if (!c.awaitConnected(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("fanout client " + c.name() + " did not connect; the daemon's log: " + daemon.log);
                }
            }
            System.out.printf("    fanout: a client that never acknowledges (max in flight %d) and one that does;"
                    + " %d records/s for %d s%n", STUCK_IN_FLIGHT, REDELIVERY_RATE, s.redeliverySeconds());
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                offer(producer, topic, REDELIVERY_RATE * s.redeliverySeconds(), REDELIVERY_RATE, "fanout", 1, 0);
            }
            r.awaitAll(Duration.ofMillis(5L * ACK_TIMEOUT_MS));
        } finally {
            stuck.close();
            healthy.close();
        }
        return r.figures("fanout");
    }

    /**
     * Share group, acquisition lock 1000 ms, both consumers driven by this thread, in rounds: 100 records are
     * produced, the stuck consumer polls until it has some (each noted as first delivered), then the healthy one
     * polls for 1.5 s, acknowledging what it gets (the stuck one's records come back when their lock runs out); then
     * the stuck one releases its records (too late: refused) and the next round starts. A 1-partition topic, so that
     * both members fetch from it (with fewer members than partitions a partition has one member, which would get its
     * own records back). Rounds rather than a steady rate: a healthy consumer that polls all the time takes every
     * record as it arrives, and the stuck one, which polls once per 1.5 s, would get almost none.
     */
    private static double[] shareRedelivery(TopicCounter topics, Admin admin, String bootstrap, Settings s) throws Exception {
        String topic = "bench-share-redelivery";
        topics.create(topic, 1);
        String group = "bench-share-group-redelivery";
        configureShareGroup(admin, group, Map.of("share.auto.offset.reset", "earliest",
                "share.record.lock.duration.ms", String.valueOf(ACK_TIMEOUT_MS)));
        Redeliveries r = new Redeliveries();
        int rounds = 0;
        try (KafkaShareConsumer<byte[], byte[]> stuck = shareConsumer(bootstrap, group, "stuck", STUCK_IN_FLIGHT);
             KafkaShareConsumer<byte[], byte[]> healthy = shareConsumer(bootstrap, group, "healthy", s.maxInFlight());
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            stuck.subscribe(List.of(topic));
            healthy.subscribe(List.of(topic));
            System.out.printf("    share group: a consumer that holds each poll's records past the lock (max.poll.records %d)"
                    + " and one that acknowledges; rounds of %d records for %d s%n", STUCK_IN_FLIGHT, STUCK_IN_FLIGHT,
                    s.redeliverySeconds());
            // Both join the group (and get the partition) before the first round; the topic is empty.
            for (int i = 0; i < 20; i++) {
                for (KafkaShareConsumer<byte[], byte[]> c : List.of(stuck, healthy)) {
                    c.poll(Duration.ofMillis(50)).forEach(c::acknowledge);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.redeliverySeconds());
            long seq = 0;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < STUCK_IN_FLIGHT; i++) {
                    producer.send(record(topic, seq++, 0));
                }
                producer.flush();
                List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (held.isEmpty() && System.nanoTime() < giveUp) {
                    var polled = stuck.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> record : polled) {
                        held.add(record);
                        if (record.deliveryCount().orElse((short) 1) == 1) {
                            r.firstAtStuck.putIfAbsent(Redeliveries.key(record.partition(), record.offset()), now);
                        } else {
                            r.backToStuck.incrementAndGet();
                        }
                    }
                }
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MS + 500L);
                while (System.nanoTime() < until) {
                    var polled = healthy.poll(Duration.ofMillis(20));
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> record : polled) {
                        healthy.acknowledge(record);
                        if (record.deliveryCount().orElse((short) 1) > 1) {
                            r.laterAtHealthy.putIfAbsent(Redeliveries.key(record.partition(), record.offset()), now);
                        }
                    }
                    if (!polled.isEmpty()) {
                        healthy.commitAsync();
                    }
                }
                held.forEach(record -> stuck.acknowledge(record, AcknowledgeType.RELEASE));
                try {
                    stuck.commitSync(Duration.ofSeconds(5));
                } catch (RuntimeException expired) {
                    // the locks ran out: these acknowledgements are refused
                }
                rounds++;
            }
        }
        System.out.printf("    share group: %d rounds%n", rounds);
        return r.figures("share group");
    }

    private static KafkaShareConsumer<byte[], byte[]> shareConsumer(String bootstrap, String group, String name, int maxPoll) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPoll);
        p.put("share.acknowledgement.mode", "explicit");
        return new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ---------------------------------------------------------------------------------------------- processes

    /** A fanout daemon as users start it: {@code Junction fanout --id ... --topic ... --port ...}, a JVM of its own. */
    private static final class Daemon implements AutoCloseable {
        final ForkedJunction junction;
        final Path log;
        final String id;

        private Daemon(ForkedJunction junction, Path log, String id) {
            this.junction = junction;
            this.log = log;
            this.id = id;
        }

        static Daemon start(Path dir, String bootstrap, String topic, int port, Map<String, String> properties)
                throws IOException {
            String id = "bench" + RUNS.incrementAndGet();
            Path log = dir.resolve(topic + ".daemon.log");
            List<String> args = new ArrayList<>(List.of("fanout", "--id", id, "--topic", topic, "--port", String.valueOf(port),
                    "--property", "kafka.bootstrap=" + bootstrap,
                    "--property", "camel.management.port=" + Ports.freePort()));
            properties.forEach((k, v) -> args.addAll(List.of("--property", k + "=" + v)));
            return new Daemon(ForkedJunction.start(log, Map.of(), args.toArray(String[]::new)), log, id);
        }

        /** Waits for the daemon's "is the leader now" line: it accepts clients from then on. */
        void awaitLeader(Duration timeout) throws InterruptedException {
            long startedAt = System.nanoTime();
            long deadline = startedAt + timeout.toNanos();
            while (!junction.log().contains("is the leader now")) {
                if (!junction.isAlive()) {
                    throw new IllegalStateException("the fanout daemon " + id + " exited before it led; its log (" + log + "):\n"
                            + tail(junction.log()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the fanout daemon " + id + " did not lead within " + timeout + "; its log ("
                            + log + "):\n" + tail(junction.log()));
                }
                Thread.sleep(5);
            }
            System.out.printf("    fanout daemon %s leads %.1f s after its start (log %s)%n", id, (System.nanoTime() - startedAt) / 1e9, log);
        }

        void stop() throws InterruptedException {
            junction.terminate();
        }

        @Override
        public void close() throws InterruptedException {
            junction.close();
        }
    }

    /** The receivers' JVM ({@link FanoutBenchClients}): its {@code @} lines are kept, its progress lines shown. */
    private static final class Receivers implements AutoCloseable {
        final Process process;
        final Path log;
        final List<String> lines = new ArrayList<>();
        private final Writer stdin;

        private Receivers(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Receivers start(Path dir, String topic, String... args) throws IOException {
            Path log = dir.resolve(topic + ".receivers.log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), FanoutBenchClients.class.getName()));
            cmd.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Receivers r = new Receivers(p, log);
            Thread reader = new Thread(() -> r.read(), "bench-receivers-output");
            reader.setDaemon(true);
            reader.start();
            return r;
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line + "\n");
                    out.flush();
                    if (line.startsWith("@")) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    } else if (line.startsWith("bench-clients: ")) {
                        System.out.println("      " + line.substring("bench-clients: ".length()));
                    }
                }
            } catch (IOException e) {
                if (process.isAlive()) {
                    System.out.println("    (the receivers' output ended: " + e + ")");
                } // else: closed as the process was stopped
            }
        }

        String find(String prefix) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            }
        }

        String await(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    String line = find(prefix);
                    if (line != null) {
                        return line;
                    }
                    if (!process.isAlive() && find(prefix) == null) {
                        lines.wait(500); // the last lines may still be on their way
                        if (find(prefix) == null) {
                            throw new IllegalStateException("the receivers exited (code " + process.exitValue() + ") before "
                                    + prefix + "; their log (" + log + "):\n" + tail(readLog()));
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no " + prefix + " from the receivers within " + timeout + "; their log ("
                                + log + "):\n" + tail(readLog()));
                    }
                    lines.wait(100);
                }
            }
        }

        /** The {@code @DONE} line's key=value pairs; an incomplete run is an error. */
        Map<String, String> done(Duration timeout, Daemon daemon) throws InterruptedException {
            String line = await("@DONE", timeout);
            Map<String, String> values = new HashMap<>();
            for (String kv : line.substring("@DONE".length()).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                values.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (!"true".equals(values.get("complete"))) {
                throw new IllegalStateException("the receivers did not get every record: " + line + "; their log: " + log
                        + (daemon == null ? "" : "; the daemon's log (" + daemon.log + "):\n" + tail(daemon.junction.log())));
            }
            return values;
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        private String readLog() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }
}
