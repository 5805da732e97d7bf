package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;

import dev.junction.support.KafkaCluster;
import dev.junction.testing.TestKafka;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sender's cursors against a real source log: records read again are dropped, a jump over transaction markers
 * and aborted records passes, and a jump over committed records (records the consumer lost) is never let through:
 * the partition is read again from the first record lost.
 */
class PartitionCursorsTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static TopicPartition partition;
    private static SourceGapProbe probe;

    /** Committed transactions 0..19 (marker 20) and 21..25 (marker 26); 27..29 aborted (marker 30); 31..32 committed (marker 33). */
    @BeforeAll
    static void sourceLog() {
        String topic = TestKafka.uniqueName("cursors");
        TestKafka.createTopic(topic, 1);
        partition = new TopicPartition(topic, 0);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafka.uniqueName("cursors-app"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            write(producer, 20, true);
            write(producer, 5, true);
            write(producer, 3, false);
            write(producer, 2, true);
        }
        probe = new SourceGapProbe(KafkaCluster.of(KafkaCluster.DEFAULT, TestKafka.bootstrap(), Map.of()), Duration.ofSeconds(30));
    }

    private static void write(KafkaProducer<String, String> producer, int records, boolean commit) {
        producer.beginTransaction();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "v"));
        }
        producer.flush(); // in the log before the transaction ends, aborted ones too
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    @AfterAll
    static void close() {
        probe.close();
    }

    private static List<Exchange> read(long... offsets) {
        return LongStream.of(offsets).mapToObj(o -> {
            Exchange e = new DefaultExchange(CAMEL);
            e.getMessage().setHeader(KafkaConstants.OFFSET, o);
            return e;
        }).toList();
    }

    private static List<Exchange> read(long from, long through) {
        return read(LongStream.rangeClosed(from, through).toArray());
    }

    private static List<Long> offsets(PartitionCursors.Admitted admitted) {
        return admitted.records().stream().map(e -> e.getMessage().getHeader(KafkaConstants.OFFSET, Long.class)).toList();
    }

    @Test
    void recordsTheConsumerLostAreReadAgainBeforeAnythingAfterThem() {
        PartitionCursors cursors = new PartitionCursors(probe);
        cursors.start(partition, -1, false);
        assertThat(cursors.after(partition)).as("the receiver has nothing yet").isEqualTo(RecordBatch.NO_PREDECESSOR);
        assertThat(offsets(cursors.admit(partition, read(0, 4), false))).containsExactly(0L, 1L, 2L, 3L, 4L);
        cursors.sent(partition, 4);
        assertThat(cursors.after(partition)).isEqualTo(4);

        // The consumer lost 5..9: nothing past them goes, and the partition is to be read again from 5.
        PartitionCursors.Admitted jumped = cursors.admit(partition, read(10, 14), false);
        assertThat(jumped.records()).isEmpty();
        assertThat(jumped.readAgainFrom()).isEqualTo(5);
        // What the consumer still held past them comes before the records read again: dropped too.
        assertThat(cursors.admit(partition, read(15, 16), false).records()).isEmpty();
        // Read again from 5 (with a record already covered in front): everything in order, nothing twice.
        PartitionCursors.Admitted again = cursors.admit(partition, read(4, 19), false);
        assertThat(offsets(again)).isEqualTo(LongStream.rangeClosed(5, 19).boxed().toList());
        assertThat(again.readAgainFrom()).isNull();
        assertThat(cursors.last(partition)).isEqualTo(19);
    }

    @Test
    void jumpsOverTransactionMarkersAndAbortedRecordsPass() {
        PartitionCursors cursors = new PartitionCursors(probe);
        cursors.start(partition, 19, true);
        // 20 is a commit marker.
        assertThat(offsets(cursors.admit(partition, read(21, 25), false))).containsExactly(21L, 22L, 23L, 24L, 25L);
        // 26 is a commit marker, 27..29 were aborted, 30 is the abort marker: nothing committed in between.
        PartitionCursors.Admitted next = cursors.admit(partition, read(31, 32), false);
        assertThat(offsets(next)).containsExactly(31L, 32L);
        assertThat(next.readAgainFrom()).isNull();
    }

    @Test
    void acrossARebalanceEveryJumpIsChecked() {
        PartitionCursors cursors = new PartitionCursors(probe);
        cursors.start(partition, -1, false);
        // 3..6 lost between two polls read across a rebalance: found although the jump is inside the batch.
        PartitionCursors.Admitted admitted = cursors.admit(partition, read(0, 1, 2, 7, 8, 9), true);
        assertThat(offsets(admitted)).containsExactly(0L, 1L, 2L);
        assertThat(admitted.readAgainFrom()).isEqualTo(3);
    }

    @Test
    void recordsDeletedFromTheSourceBeforeTheyWereMirroredAreCountedNotAwaited() throws Exception {
        String topic = TestKafka.uniqueName("cursors-retention");
        TestKafka.createTopic(topic, 1);
        TopicPartition shortLived = new TopicPartition(topic, 0);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v"));
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            admin.deleteRecords(Map.of(shortLived, RecordsToDelete.beforeOffset(6))).all().get(); // as retention would
        }
        long deletedBefore = probe.deleted();
        PartitionCursors cursors = new PartitionCursors(probe);
        cursors.start(shortLived, 1, true); // the receiver applied up to 1; 2..5 are gone
        assertThat(offsets(cursors.admit(shortLived, read(6, 9), false))).containsExactly(6L, 7L, 8L, 9L);
        assertThat(probe.deleted() - deletedBefore).as("offsets 2..5 counted as deleted before mirrored").isEqualTo(4);
    }
}
