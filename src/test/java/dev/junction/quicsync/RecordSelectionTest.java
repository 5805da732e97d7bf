package dev.junction.quicsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** Which topics the sender subscribes to and which records it keeps: exclusions, loop prevention, the message filter. */
class RecordSelectionTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    @Test
    void excludedTopicsAreNotInTheSubscription() {
        Pattern p = RecordSelection.subscription("orders.*|payments", "orders[.]internal|__.*");
        assertThat(p.matcher("orders").matches()).isTrue();
        assertThat(p.matcher("orders.eu").matches()).isTrue();
        assertThat(p.matcher("payments").matches()).isTrue();
        assertThat(p.matcher("orders.internal").matches()).as("excluded").isFalse();
        assertThat(p.matcher("orders.internal2").matches()).as("only the whole name is excluded").isTrue();
        assertThat(p.matcher("refunds").matches()).as("not included").isFalse();
        assertThat(RecordSelection.subscription(".*", "").matcher("__consumer_offsets").matches()).isTrue();
    }

    @Test
    void recordsFromTheDestinationAndThoseTheFilterRefusesStayBehind() {
        var filter = CAMEL.resolveLanguage("simple").createPredicate("${header.kafka.KEY} != null && ${body} contains 'keep'");
        RecordSelection selection = new RecordSelection(CAMEL, filter, "site-b");
        ConsumerRecord<byte[], byte[]> kept = record(1, "k", "keep me");
        ConsumerRecord<byte[], byte[]> noKey = record(2, null, "keep me");
        ConsumerRecord<byte[], byte[]> filtered = record(3, "k", "drop me");
        ConsumerRecord<byte[], byte[]> looped = record(4, "k", "keep me");
        looped.headers().add(new RecordHeader(QuicSyncReceiver.ORIGIN_HEADER, "site-b".getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<byte[], byte[]> fromElsewhere = record(5, "k", "keep me");
        fromElsewhere.headers().add(new RecordHeader(QuicSyncReceiver.ORIGIN_HEADER, "site-c".getBytes(StandardCharsets.UTF_8)));
        List<MirrorRecord> out = selection.kept(List.of(kept, noKey, filtered, looped, fromElsewhere));
        assertThat(out).extracting(MirrorRecord::offset).containsExactly(1L, 5L);
        assertThat(new String(out.get(1).headers().get(0).value(), StandardCharsets.UTF_8)).isEqualTo("site-c");
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value) {
        return new ConsumerRecord<>("orders", 0, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
