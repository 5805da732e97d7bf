package dev.junction.fanout;

import java.util.List;

import dev.junction.fanout.protocol.Frame;

/**
 * One Kafka record on its way to a client. The fanout consumer's exchanges carry a {@code List<FanoutRecord>} as
 * their body (one exchange per batch of records read: a Camel exchange per record cost half the daemon's time).
 * When records of a batch could not be delivered, the exchange fails and its body is those records, each with
 * {@link #getFailure() the reason}, for the route's dead-letter handler.
 */
public final class FanoutRecord {

    private final String topic;
    private final int partition;
    private final long offset;
    private final byte[] key;
    private final List<Frame.Header> headers;
    private final byte[] value;
    /** Run, on the daemon's completion thread, when a client acknowledged this record; null when nobody asks. */
    final Runnable whenAcknowledged;
    private volatile String failure;

    public FanoutRecord(String topic, int partition, long offset, byte[] key, List<Frame.Header> headers, byte[] value) {
        this(topic, partition, offset, key, headers, value, null);
    }

    FanoutRecord(String topic, int partition, long offset, byte[] key, List<Frame.Header> headers, byte[] value,
                 Runnable whenAcknowledged) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.headers = headers == null ? List.of() : headers;
        this.value = value;
        this.whenAcknowledged = whenAcknowledged;
    }

    /** The records of a batch body (the fanout consumer's), or null when {@code body} is not one. */
    @SuppressWarnings("unchecked")
    static List<FanoutRecord> batch(Object body) {
        return body instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(FanoutRecord.class::isInstance)
                ? (List<FanoutRecord>) list : null;
    }

    public String getTopic() {
        return topic;
    }

    public int getPartition() {
        return partition;
    }

    public long getOffset() {
        return offset;
    }

    public byte[] getKey() {
        return key;
    }

    public List<Frame.Header> getHeaders() {
        return headers;
    }

    public byte[] getValue() {
        return value;
    }

    /** Why no client acknowledged the record, after its last delivery; null while it was not given up on. */
    public String getFailure() {
        return failure;
    }

    void failed(String reason) {
        this.failure = reason;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
