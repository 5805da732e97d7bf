package dev.junction.quicsync;

import org.apache.camel.spi.Metadata;

/** Headers of the exchange the sender routes for each batch the receiver confirmed (its body is empty). */
public final class QuicSyncConstants {

    @Metadata(label = "consumer", description = "Source topic of the batch", javaType = "String")
    public static final String TOPIC = "JunctionQuicSyncTopic";
    @Metadata(label = "consumer", description = "Source partition of the batch", javaType = "int")
    public static final String PARTITION = "JunctionQuicSyncPartition";
    @Metadata(label = "consumer", description = "Last source offset the batch covers (now mirrored)", javaType = "long")
    public static final String THROUGH_OFFSET = "JunctionQuicSyncThroughOffset";
    @Metadata(label = "consumer", description = "Records the batch carried", javaType = "int")
    public static final String RECORD_COUNT = "JunctionQuicSyncRecordCount";
    @Metadata(label = "consumer", description = "Bytes of the request body on the wire (compressed)", javaType = "int")
    public static final String WIRE_BYTES = "JunctionQuicSyncWireBytes";
    @Metadata(label = "consumer", description = "Milliseconds from sending the batch to its confirmation", javaType = "long")
    public static final String ROUND_TRIP_MS = "JunctionQuicSyncRoundTripMs";

    private QuicSyncConstants() {
    }
}
