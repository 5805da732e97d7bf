package dev.junction.glue;

import org.apache.camel.spi.Metadata;

/** Headers of glue exchanges: what the consumer sets, what the producer reads. */
public final class GlueConstants {

    @Metadata(label = "consumer", description = "Topic of the message", javaType = "String")
    public static final String TOPIC = "GlueTopic";
    @Metadata(label = "consumer", description = "Type of the message", javaType = "String")
    public static final String TYPE = "GlueType";
    @Metadata(label = "consumer", description = "Name (GLUE_ENDPOINT_NAME) of the endpoint that published it", javaType = "String")
    public static final String PUBLISHER = "GluePublisher";
    @Metadata(label = "consumer", description = "When the message expires, in epoch milliseconds; 0: never", javaType = "long")
    public static final String EXPIRES_AT = "GlueExpiresAt";
    @Metadata(description = "The state key (state=true): set by the consumer, required by the producer", javaType = "String")
    public static final String KEY = "GlueKey";
    @Metadata(label = "consumer", description = "state=true: whether the write removed the key (the body is then null)", javaType = "boolean")
    public static final String REMOVED = "GlueRemoved";
    @Metadata(label = "consumer", description = "state=true: the write's hybrid logical clock timestamp", javaType = "long")
    public static final String TIMESTAMP = "GlueTimestamp";
    @Metadata(label = "producer", description = "Set by the producer: peers the message was queued for", javaType = "int")
    public static final String PEERS = "GluePeers";

    private GlueConstants() {
    }
}
