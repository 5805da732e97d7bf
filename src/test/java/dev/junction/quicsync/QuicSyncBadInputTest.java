package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.junction.runtime.JunctionRuntime;
import dev.junction.testing.TestJunction;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver route refuses bad requests with the right status, writes nothing for them, and keeps serving. */
class QuicSyncBadInputTest {

    @TempDir
    static Path dir;
    static QuicSyncFixture fixture;
    static JunctionRuntime receiver;
    static ProducerTemplate client;

    @BeforeAll
    static void start() throws Exception {
        fixture = new QuicSyncFixture(dir);
        Map<String, String> props = new java.util.HashMap<>(fixture.properties(false, true));
        props.put("quic-sync.max-body-bytes", "200000");
        props.put("quic-sync.max-batch-bytes", "1000000");
        props.put("quic-sync.receiver.wait-for-predecessor-ms", "1500");
        props.put("quic-sync.receiver.deny-topics", ".*[.]private");
        receiver = TestJunction.start(List.of(TestJunction.repoRoute("quic-sync-receiver.camel.yaml")), props);
        client = receiver.camelContext().createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        fixture.close();
    }

    private static Exchange call(String token, String method, String path, String source, byte[] body) {
        return call(token, method, path, source, body, Map.of());
    }

    private static Exchange call(String token, String method, String path, String source, byte[] body, Map<String, String> headers) {
        String uri = "quic:localhost:" + fixture.port + "?trustCertFile=" + fixture.certs.cert()
                + "&throwExceptionOnFailure=false&requestTimeoutMs=10000" + (token == null ? "" : "&token=" + token);
        return client.request(uri, e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            e.getMessage().setHeader(Exchange.HTTP_PATH, path);
            if (source != null) {
                e.getMessage().setHeader("x-junction-source-cluster", source);
            }
            headers.forEach(e.getMessage()::setHeader);
            e.getMessage().setBody(body);
        });
    }

    private static int status(Exchange e) {
        assertThat(e.getException()).isNull();
        return e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static byte[] batch(int records, int valueBytes) {
        List<MirrorRecord> list = new java.util.ArrayList<>();
        for (int i = 0; i < records; i++) {
            list.add(new MirrorRecord(i, QuicSyncFixture.EPOCH, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[valueBytes], List.of()));
        }
        return BatchCodec.encode(RecordBatch.of(0, 1, list), BatchCodec.Compression.ZSTD);
    }

    @Test
    void concurrentBatchesOfSeveralPartitionsAndTheirRepeatsAreWrittenExactlyOnce() throws Exception {
        String topic = fixture.topic("parallel");
        String path = "/v1/topics/" + topic + "/records";
        List<byte[]> bodies = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<MirrorRecord> list = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                list.add(new MirrorRecord(i, QuicSyncFixture.EPOCH, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("p" + p + "-" + i).getBytes(StandardCharsets.UTF_8), List.of()));
            }
            byte[] body = BatchCodec.encode(RecordBatch.of(p, 3, list), BatchCodec.Compression.LZ4);
            bodies.add(body);
            bodies.add(body); // the same batch again, at the same time: written once
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Exchange>> answers = new java.util.ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(pool.submit(() -> call(QuicSyncFixture.TOKEN, "POST", path, "site-a", body)));
            }
            for (var answer : answers) {
                assertThat(status(answer.get(60, java.util.concurrent.TimeUnit.SECONDS))).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        var written = fixture.awaitDestination(topic, 300); // every answer was 200: all is committed
        assertThat(written).hasSize(300);
        for (int p = 0; p < 3; p++) {
            int partition = p;
            assertThat(written.stream().filter(r -> r.partition() == partition).map(r -> r.value()).toList())
                    .as("partition %d in order, once each", p)
                    .isEqualTo(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "p" + partition + "-" + i).toList());
        }
    }

    private static byte[] chained(int partition, long after, long first, int count) {
        List<MirrorRecord> list = new java.util.ArrayList<>();
        for (long o = first; o < first + count; o++) {
            list.add(new MirrorRecord(o, QuicSyncFixture.EPOCH, null, ("v" + o).getBytes(StandardCharsets.UTF_8), List.of()));
        }
        return BatchCodec.encode(new RecordBatch(1, List.of(new RecordBatch.PartitionRecords(partition, after, first + count - 1, list))),
                BatchCodec.Compression.ZSTD);
    }

    @Test
    void aBatchThatArrivesBeforeTheOneItFollowsWaitsForIt() throws Exception {
        String topic = fixture.topic("chain");
        String path = "/v1/topics/" + topic + "/records";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // The second batch (offsets 100..199, after 99) is sent first; the receiver must apply 0..99 first.
            var second = pool.submit(() -> call(QuicSyncFixture.TOKEN, "POST", path, "site-a", chained(0, 99, 100, 100)));
            var first = pool.submit(() -> call(QuicSyncFixture.TOKEN, "POST", path, "site-a", chained(0, -1, 0, 100)));
            assertThat(status(first.get(30, java.util.concurrent.TimeUnit.SECONDS))).isEqualTo(200);
            assertThat(status(second.get(30, java.util.concurrent.TimeUnit.SECONDS))).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.awaitDestination(topic, 200)).extracting(r -> r.value())
                .isEqualTo(java.util.stream.LongStream.range(0, 200).mapToObj(o -> "v" + o).toList());
    }

    @Test
    void aBatchWhosePredecessorNeverComesGets409AndNothingIsWritten() {
        String topic = fixture.topic("orphan");
        Exchange e = call(QuicSyncFixture.TOKEN, "POST", "/v1/topics/" + topic + "/records", "site-a", chained(0, 499, 500, 10));
        assertThat(status(e)).isEqualTo(409);
        assertThat(e.getMessage().getBody(String.class)).contains("has not arrived within 1500 ms");
        assertThat(fixture.readAllOfDestination(topic)).isEmpty();
    }

    @Test
    void aWrongOrMissingTokenGets401AndNothingIsWritten() {
        String topic = fixture.topic("guarded");
        String path = "/v1/topics/" + topic + "/records";
        assertThat(status(call("wrong", "POST", path, "site-a", batch(5, 10)))).isEqualTo(401);
        assertThat(status(call(null, "POST", path, "site-a", batch(5, 10)))).isEqualTo(401);
        // Nothing written: the destination topic was not even created.
        assertThat(fixture.readAllOfDestination(topic)).isEmpty();
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v1/health", null, null))).isEqualTo(200);
    }

    @Test
    void malformedBatchesGet400() {
        String path = "/v1/topics/" + fixture.topic("bad") + "/records";
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, "site-a", "not a batch".getBytes()))).isEqualTo(400);
        byte[] truncated = java.util.Arrays.copyOf(batch(5, 10), 20);
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, "site-a", truncated))).isEqualTo(400);
        byte[] badCodec = batch(5, 10);
        badCodec[4] = 9;
        Exchange e = call(QuicSyncFixture.TOKEN, "POST", path, "site-a", badCodec);
        assertThat(status(e)).isEqualTo(400);
        assertThat(e.getMessage().getBody(String.class)).contains("unknown compression codec 9");
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, null, batch(5, 10)))).as("no source cluster").isEqualTo(400);
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, "bad/name", batch(5, 10)))).isEqualTo(400);
        Exchange badSettings = call(QuicSyncFixture.TOKEN, "POST", path, "site-a", batch(5, 10),
                Map.of(TopicSettings.HEADER, "retention.ms=1&no value here"));
        assertThat(status(badSettings)).as("malformed topic settings").isEqualTo(400);
        assertThat(badSettings.getMessage().getBody(String.class)).contains("is not a topic setting name=value");
        Exchange refused = call(QuicSyncFixture.TOKEN, "POST", path, "site-a", batch(5, 10), Map.of(TopicSettings.HEADER, "retention.ms=forever"));
        assertThat(status(refused)).as("settings the destination refuses").isEqualTo(400);
        assertThat(refused.getMessage().getBody(String.class)).contains("refuses to create");
        assertThat(fixture.readAllOfDestination(path.split("/")[3])).as("nothing written").isEmpty();
        String offsets = path.replace("/records", "/offsets");
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", offsets, null, null))).as("offsets of no source cluster").isEqualTo(400);
    }

    @Test
    void oversizedBodiesAndBatchesGet413() {
        String path = "/v1/topics/" + fixture.topic("big") + "/records";
        // Over the HTTP body limit (incompressible bytes).
        byte[] random = new byte[300_000];
        new java.util.Random(1).nextBytes(random);
        List<MirrorRecord> one = List.of(new MirrorRecord(0, 0, null, random, List.of()));
        byte[] big = BatchCodec.encode(RecordBatch.of(0, 1, one), BatchCodec.Compression.NONE);
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, "site-a", big))).isEqualTo(413);
        // Small on the wire, over the batch limit once decompressed (a decompression bomb).
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", path, "site-a", batch(20, 100_000)))).isEqualTo(413);
    }

    @Test
    void unknownPathsGet404AndWrongMethods405WhileTheServerKeepsServing() throws Exception {
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v2/anything", null, null))).isEqualTo(404);
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v1/topics/x/records", "site-a", null))).isEqualTo(405);
        String topic = fixture.topic("good");
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", "/v1/topics/" + topic + "/records", "site-a", batch(3, 10)))).isEqualTo(200);
        assertThat(fixture.awaitDestination(topic, 3)).hasSize(3);
        Exchange offsets = call(QuicSyncFixture.TOKEN, "GET", "/v1/topics/" + topic + "/offsets?source=site-a", null, null);
        assertThat(status(offsets)).isEqualTo(200);
        assertThat(offsets.getMessage().getBody(String.class)).contains("\"applied\":{\"0\":2}");
        // The same batch again: applied already, nothing written twice.
        assertThat(status(call(QuicSyncFixture.TOKEN, "POST", "/v1/topics/" + topic + "/records", "site-a", batch(3, 10)))).isEqualTo(200);
        assertThat(fixture.readAllOfDestination(topic)).hasSize(3);
    }
    @Test
    void topicsNoSenderMayWriteGet403AndAreNeverCreated() throws Exception {
        String offsetsTopic = "junction.quic-sync.offsets";
        String denied = fixture.topic("payroll.private");
        for (String topic : List.of(offsetsTopic, "__consumer_offsets", "__junction_forged", denied)) {
            Exchange e = call(QuicSyncFixture.TOKEN, "POST", "/v1/topics/" + topic + "/records", "site-a", batch(3, 10));
            assertThat(status(e)).as(topic).isEqualTo(403);
            assertThat(e.getMessage().getBody(String.class)).as(topic).contains("topic " + topic);
        }
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v1/topics/" + offsetsTopic + "/offsets?source=site-a", null, null)))
                .isEqualTo(403);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.destination.bootstrapServers()))) {
            var topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names().get();
            assertThat(topics).doesNotContain("__junction_forged", denied);
        }
        // The offsets topic holds only offsets: none of the refused batch's records (keys k0..k2).
        assertThat(fixture.readAllOfDestination(offsetsTopic)).extracting(r -> r.key()).doesNotContain("k0", "k1", "k2");
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v1/health", null, null))).isEqualTo(200);
    }

    @Test
    void aBatchThatCountsMorePartitionsThanItsBytesHoldGets400AndTheServerKeepsServing() {
        String path = "/v1/topics/" + fixture.topic("counts") + "/records";
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(40).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(49).put("JQS2".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0).putInt(40).put(raw.array());
        Exchange e = call(QuicSyncFixture.TOKEN, "POST", path, "site-a", frame.array());
        assertThat(status(e)).isEqualTo(400);
        assertThat(e.getMessage().getBody(String.class)).contains("invalid partition count 2147483647");
        assertThat(status(call(QuicSyncFixture.TOKEN, "GET", "/v1/health", null, null))).isEqualTo(200);
        assertThat(receiver.camelContext().getInflightRepository().size()).as("exchanges in flight").isZero();
    }
}
