package dev.junction.fanout;

import org.apache.camel.spi.Metadata;

/** Headers of the fanout component: the consumer sets them from the Kafka record, the producer sends them on. */
public final class FanoutConstants {

    @Metadata(description = "Topic of the record", javaType = "String")
    public static final String TOPIC = "JunctionFanoutTopic";
    @Metadata(description = "Partition of the record", javaType = "int")
    public static final String PARTITION = "JunctionFanoutPartition";
    @Metadata(description = "Offset of the record", javaType = "long")
    public static final String OFFSET = "JunctionFanoutOffset";
    @Metadata(description = "Key of the record", javaType = "byte[]")
    public static final String KEY = "JunctionFanoutKey";
    @Metadata(description = "The record's Kafka headers, as fanout frame headers", javaType = "java.util.List")
    public static final String RECORD_HEADERS = "JunctionFanoutRecordHeaders";
    @Metadata(label = "producer", description = "Name of the client that acknowledged the record", javaType = "String")
    public static final String CLIENT = "JunctionFanoutClient";

    private FanoutConstants() {
    }
}
