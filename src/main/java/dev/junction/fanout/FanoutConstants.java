package dev.junction.fanout;

import org.apache.camel.spi.Metadata;

/**
 * Headers the fanout producer reads when a message is not a batch of {@link FanoutRecord}s (a message from another
 * route, such as the Kamelet's): the record's origin, sent on to the client.
 */
public final class FanoutConstants {

    @Metadata(label = "producer", description = "Topic of the record", javaType = "String")
    public static final String TOPIC = "JunctionFanoutTopic";
    @Metadata(label = "producer", description = "Partition of the record", javaType = "int")
    public static final String PARTITION = "JunctionFanoutPartition";
    @Metadata(label = "producer", description = "Offset of the record", javaType = "long")
    public static final String OFFSET = "JunctionFanoutOffset";
    @Metadata(label = "producer", description = "Key of the record", javaType = "byte[]")
    public static final String KEY = "JunctionFanoutKey";
    @Metadata(label = "producer", description = "The record's Kafka headers, as fanout frame headers", javaType = "java.util.List")
    public static final String RECORD_HEADERS = "JunctionFanoutRecordHeaders";

    private FanoutConstants() {
    }
}
