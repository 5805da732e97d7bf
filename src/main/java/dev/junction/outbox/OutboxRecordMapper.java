package dev.junction.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.internals.Topic;

/**
 * Turns an outbox row into a Kafka record: topic from the row's {@code topic} column or the routing pattern,
 * key = aggregate_id, headers = event_id, event_type, aggregate_type plus the row's {@code headers} JSON object.
 * Rows that Kafka could never accept are refused here, before anything is sent.
 */
final class OutboxRecordMapper {

    static final String HEADER_EVENT_ID = "event_id";
    static final String HEADER_EVENT_TYPE = "event_type";
    static final String HEADER_AGGREGATE_TYPE = "aggregate_type";
    /** Per-record overhead beyond key, value and headers (record batch framing), for the size check. */
    private static final int RECORD_OVERHEAD = 128;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topicPattern;
    private final int maxRecordBytes;

    OutboxRecordMapper(String topicPattern, int maxRecordBytes) {
        this.topicPattern = topicPattern;
        this.maxRecordBytes = maxRecordBytes;
    }

    String topicOf(OutboxRow row) {
        if (row.topic() != null && !row.topic().isBlank()) {
            return row.topic().trim();
        }
        return topicPattern.replace("${aggregate_type}", row.aggregateType());
    }

    ProducerRecord<byte[], byte[]> toRecord(OutboxRow row) throws PoisonRowException {
        String topic = topicOf(row);
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new PoisonRowException("invalid topic name '" + topic + "': " + e.getMessage());
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_EVENT_ID, utf8(row.eventId()));
        headers.add(HEADER_EVENT_TYPE, utf8(row.eventType()));
        headers.add(HEADER_AGGREGATE_TYPE, utf8(row.aggregateType()));
        addJsonHeaders(row, headers);
        byte[] key = utf8(row.aggregateId());
        byte[] value = row.payload();
        int size = RECORD_OVERHEAD + key.length + (value == null ? 0 : value.length);
        for (var h : headers) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        if (size > maxRecordBytes) {
            throw new PoisonRowException("record of " + size + " bytes is larger than the " + maxRecordBytes
                    + " bytes Kafka accepts (max.request.size)");
        }
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private static void addJsonHeaders(OutboxRow row, RecordHeaders headers) throws PoisonRowException {
        if (row.headersJson() == null || row.headersJson().isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(row.headersJson());
        } catch (Exception e) {
            throw new PoisonRowException("headers is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new PoisonRowException("headers must be a JSON object, got: " + abbreviate(row.headersJson()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = field.getValue();
            headers.add(field.getKey(), v.isNull() ? null : utf8(v.isTextual() ? v.asText() : v.toString()));
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
