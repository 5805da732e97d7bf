package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.infra.Ports;
import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.ForkedJunction;
import dev.junction.testing.TestJunction;
import dev.junction.testing.TestKafka;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * The receiver in a JVM of its own with a 512 MB heap serves a well-behaved sender while another client keeps sending
 * what once hurt it: batches for its offsets topic and for Kafka's internal topics, counts of 2^31-1, truncated
 * frames, a decompression bomb and bodies over the limit. Every record arrives once, every bad request is answered
 * with its 4xx, and the receiver neither runs out of memory nor stops.
 */
class QuicSyncReceiverHeapTest extends TwoClusterTest {

    private static final int TOTAL = 60_000;

    @Test
    void aReceiverWithA512MbHeapServesASenderWhileBadRequestsKeepComing() throws Exception {
        String topic = fixture.topic("heap");
        QuicSyncFixture.createTopic(TestKafka.bootstrap(), topic, 3);
        Map<String, String> receiverProps = new HashMap<>(fixture.properties(false, true));
        receiverProps.put("kafka.bootstrap", TestKafka.bootstrap());
        receiverProps.put("camel.management.port", String.valueOf(Ports.freePort()));
        try (ForkedJunction receiver = ForkedJunction.start(dir.resolve("receiver.log"), List.of("-Xmx512m"), receiverProps,
                "run", "--routes", TestJunction.repoRoute("quic-sync-receiver.camel.yaml").toString());
             JunctionRuntime sender = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-sender.camel.yaml")),
                     fixture.properties(true, false));
             DestinationReader destination = new DestinationReader(fixture.destination.bootstrapServers(), topic)) {
            ProducerTemplate client = sender.camelContext().createProducerTemplate();
            await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.isAlive() || health(client) == 200);
            assertThat(receiver.isAlive()).as(receiver.log()).isTrue();

            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong answered = new AtomicLong();
            List<String> wrongAnswers = new ArrayList<>();
            List<BadRequest> requests = badRequests(topic);
            ExecutorService attackers = Executors.newFixedThreadPool(2);
            List<Future<?>> attacks = new ArrayList<>();
            for (int a = 0; a < 2; a++) {
                attacks.add(attackers.submit(() -> {
                    while (attacking.get()) {
                        for (BadRequest bad : requests) {
                            Exchange e = post(client, bad.topic(), bad.body());
                            Integer status = e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                            if (status == null || status != bad.status()) {
                                synchronized (wrongAnswers) {
                                    wrongAnswers.add(bad.what() + ": " + status + " " + e.getMessage().getBody(String.class) + " " + e.getException());
                                }
                            }
                            answered.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            try {
                QuicSyncFixture.produce(topic, 3, 0, TOTAL);
                await().atMost(Duration.ofSeconds(180)).until(() -> destination.count() >= TOTAL || !receiver.isAlive());
            } finally {
                attacking.set(false);
                for (Future<?> attack : attacks) {
                    attack.get();
                }
                attackers.shutdown();
            }
            assertThat(receiver.isAlive()).as(receiver.log()).isTrue();
            assertThat(receiver.log()).doesNotContain("OutOfMemoryError");
            assertThat(wrongAnswers).as(receiver.log()).isEmpty();
            assertThat(answered.get()).as("bad requests answered (each attacker finishes its round)").isGreaterThanOrEqualTo(2L * requests.size());
            assertThat(destination.records().stream().map(QuicSyncFixture::seq).distinct().count()).isEqualTo(TOTAL);
            assertThat(destination.count()).as("each record once").isEqualTo(TOTAL);
        }
    }

    private record BadRequest(String what, String topic, byte[] body, int status) {
    }

    /** What once hurt the receiver, each with the answer it must get. */
    private static List<BadRequest> badRequests(String topic) {
        byte[] small = batch(3, 10, BatchCodec.Compression.ZSTD);
        ByteBuffer counts = ByteBuffer.allocate(49).put("JQS2".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putInt(40)
                .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE);
        byte[] oversized = new byte[33 * 1024 * 1024]; // the receiver's default limit is 32 MB
        new Random(7).nextBytes(oversized);
        return List.of(
                new BadRequest("forged offsets", "junction.quic-sync.offsets", small, 403),
                new BadRequest("an internal topic", "__consumer_offsets", small, 403),
                new BadRequest("counts of 2^31-1", topic + "-counts", counts.array(), 400),
                new BadRequest("a truncated frame", topic + "-truncated", java.util.Arrays.copyOf(small, 20), 400),
                // 16 values of 4 MB of zeros: a few KB on the wire, over the 64 MB batch limit decompressed.
                new BadRequest("a decompression bomb", topic + "-bomb", batch(16, 4 * 1024 * 1024, BatchCodec.Compression.ZSTD), 413),
                new BadRequest("a body over the limit", topic + "-big", frame(oversized), 413));
    }

    private static byte[] batch(int records, int valueBytes, BatchCodec.Compression compression) {
        List<MirrorRecord> list = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            list.add(new MirrorRecord(i, QuicSyncFixture.EPOCH, null, new byte[valueBytes], List.of()));
        }
        return BatchCodec.encode(RecordBatch.of(0, 1, list), compression);
    }

    private static byte[] frame(byte[] value) {
        return BatchCodec.encode(RecordBatch.of(0, 1, List.of(new MirrorRecord(0, 0, null, value, List.of()))),
                BatchCodec.Compression.NONE);
    }

    private static String uri() {
        return "quic:localhost:" + fixture.port + "?trustCertFile=" + fixture.certs.cert() + "&token=" + QuicSyncFixture.TOKEN
                + "&throwExceptionOnFailure=false&requestTimeoutMs=20000";
    }

    private static int health(ProducerTemplate client) {
        Exchange e = client.request(uri(), x -> {
            x.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            x.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/health");
        });
        Integer status = e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? -1 : status;
    }

    private static Exchange post(ProducerTemplate client, String topic, byte[] body) {
        return client.request(uri(), x -> {
            x.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            x.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/topics/" + topic + "/records");
            x.getMessage().setHeader("x-junction-source-cluster", "site-attacker");
            x.getMessage().setBody(body);
        });
    }
}
