package dev.junction.outbox;

/** One claimed outbox row, as read from the table. */
record OutboxRow(long id, String eventId, String aggregateType, String aggregateId, String eventType,
                 byte[] payload, String headersJson, String topic, int attempts) {

    /** The unit of ordering: rows of one aggregate reach Kafka in id order. */
    String aggregateKey() {
        return aggregateType + "\u0000" + aggregateId;
    }
}
