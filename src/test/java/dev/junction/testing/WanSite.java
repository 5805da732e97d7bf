package dev.junction.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;

import dev.junction.infra.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What bench quic-sync-wan runs inside a site's network namespace ({@code ip netns exec jx-a java ... WanSite ...}),
 * since the bench's own JVM cannot reach the namespaces' addresses. It talks to the bench on standard output and
 * ends when its standard input closes (the bench ended or died).
 * <ul>
 * <li>{@code broker DIR HOST PORT}: the site's Kafka broker on HOST:PORT; prints {@code READY}.</li>
 * <li>{@code produce BOOTSTRAP TOPIC RECORDS COMPRESSION}: the backlog: 3 partitions, 200-byte JSON-like records
 * (keyed by their sequence number), produced with {@code compression.type} COMPRESSION; prints {@code PRODUCED n}.</li>
 * <li>{@code count BOOTSTRAP TOPIC RECORDS}: reads the mirrored topic read_committed and prints
 * {@code COUNT records unique epochMillis} after each poll that brought records.</li>
 * </ul>
 */
public final class WanSite {

    public static final int PARTITIONS = 3;
    public static final int RECORD_BYTES = 200;

    private WanSite() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "broker" -> broker(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            case "produce" -> produce(args[1], args[2], Long.parseLong(args[3]), args[4]);
            case "count" -> count(args[1], args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("WanSite broker|produce|count, not " + args[0]);
        }
        System.exit(0);
    }

    private static void broker(Path dir, String host, int port) throws IOException {
        // Socket buffers sized by the kernel (autotuning) instead of Kafka's fixed 100 KB: Kafka's advice for links
        // with a long round trip, and what lets MirrorMaker 2 fill them.
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, host, port, Map.of(
                "socket.send.buffer.bytes", "-1", "socket.receive.buffer.bytes", "-1"));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        awaitEndOfInput();
        kafka.close();
    }

    private static void produce(String bootstrap, String topic, long records, String compression)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression), new ByteArraySerializer(), new ByteArraySerializer())) {
            Random random = new Random(42);
            for (long seq = 0; seq < records; seq++) {
                producer.send(new ProducerRecord<>(topic, Long.toString(seq).getBytes(StandardCharsets.US_ASCII),
                        reading(seq, random)));
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "PRODUCED %d in %.1f s%n", records, (System.nanoTime() - start) / 1e9);
    }

    /** A sensor reading as JSON, padded to 200 bytes: realistic field names and values, so it compresses as such. */
    public static byte[] reading(long seq, Random random) {
        String json = String.format(Locale.ROOT,
                "{\"seq\":%d,\"ts\":\"%s\",\"site\":\"site-a\",\"device\":\"press-%03d\",\"line\":%d,"
                        + "\"temperature_c\":%.3f,\"pressure_hpa\":%.2f,\"vibration_mm_s\":%.3f,\"status\":\"%s\"",
                seq, Instant.ofEpochMilli(1_796_000_000_000L + seq * 7), random.nextInt(200), 1 + random.nextInt(8),
                18 + random.nextDouble() * 10, 990 + random.nextDouble() * 40, random.nextDouble() * 2,
                random.nextInt(50) == 0 ? "WARN" : "OK");
        StringBuilder value = new StringBuilder(json).append(",\"operator\":\"shift-").append((char) ('a' + seq / 5000 % 3))
                .append("\",\"note\":\"");
        while (value.length() < RECORD_BYTES - 2) {
            value.append('-');
        }
        value.setLength(RECORD_BYTES - 2);
        return value.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void count(String bootstrap, String topic, int records) {
        BitSet seen = new BitSet(records);
        long total = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-wan-counter-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Thread stdinWatch = new Thread(() -> {
                awaitEndOfInput();
                System.exit(0);
            }, "stdin-watch");
            stdinWatch.setDaemon(true);
            stdinWatch.start();
            while (true) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(50));
                if (polled.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    seen.set(Integer.parseInt(new String(r.key(), StandardCharsets.US_ASCII)));
                }
                total += polled.count();
                System.out.println("COUNT " + total + " " + seen.cardinality() + " " + System.currentTimeMillis());
                System.out.flush();
            }
        }
    }

    private static void awaitEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // nothing is sent on standard input; its end means the bench is gone
            }
        } catch (IOException e) {
            // the same: the bench is gone
        }
    }
}
