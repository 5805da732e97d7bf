package dev.junction.quicsync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which source topics and records are mirrored: the topics that match the include pattern and not the exclude one
 * (one subscription pattern, so excluded topics are never read); of their records, none that came from the
 * destination cluster (loop prevention), and only those the message filter keeps. Only with a message filter is a
 * record turned into an exchange, for the predicate to see it as camel-kafka would hand it on.
 */
final class RecordSelection {

    private final CamelContext camelContext;
    private final Predicate filter;
    private final byte[] destinationCluster;

    RecordSelection(CamelContext camelContext, Predicate filter, String destinationCluster) {
        this.camelContext = camelContext;
        this.filter = filter;
        this.destinationCluster = destinationCluster == null || destinationCluster.isBlank() ? null
                : destinationCluster.getBytes(StandardCharsets.UTF_8);
    }

    /** The topics to read: those {@code include} matches and {@code exclude} (blank: none) does not. */
    static Pattern subscription(String include, String exclude) {
        String included = include == null || include.isBlank() ? ".*" : include;
        return exclude == null || exclude.isBlank() ? Pattern.compile(included)
                : Pattern.compile("(?!(?:" + exclude + ")$)(?:" + included + ")");
    }

    /** The records of {@code records} to mirror, as they travel. */
    List<MirrorRecord> kept(List<ConsumerRecord<byte[], byte[]>> records) {
        List<MirrorRecord> kept = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!cameFromDestination(r) && (filter == null || filter.matches(asExchange(r)))) {
                kept.add(toMirrorRecord(r));
            }
        }
        return kept;
    }

    private boolean cameFromDestination(ConsumerRecord<byte[], byte[]> r) {
        if (destinationCluster == null) {
            return false;
        }
        Header origin = r.headers().lastHeader(QuicSyncReceiver.ORIGIN_HEADER);
        return origin != null && java.util.Arrays.equals(destinationCluster, origin.value());
    }

    private Exchange asExchange(ConsumerRecord<byte[], byte[]> r) {
        Exchange exchange = new DefaultExchange(camelContext);
        Message m = exchange.getMessage();
        m.setBody(r.value());
        m.setHeader(KafkaConstants.TOPIC, r.topic());
        m.setHeader(KafkaConstants.PARTITION, r.partition());
        m.setHeader(KafkaConstants.OFFSET, r.offset());
        m.setHeader(KafkaConstants.TIMESTAMP, r.timestamp());
        m.setHeader(KafkaConstants.HEADERS, r.headers());
        for (Header h : r.headers()) {
            m.setHeader(h.key(), h.value());
        }
        if (r.key() != null) {
            m.setHeader(KafkaConstants.KEY, r.key());
        }
        return exchange;
    }

    private static MirrorRecord toMirrorRecord(ConsumerRecord<byte[], byte[]> r) {
        List<MirrorRecord.Header> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new MirrorRecord.Header(h.key(), h.value()));
        }
        return new MirrorRecord(r.offset(), r.timestamp(), r.key(), r.value(), headers);
    }
}
