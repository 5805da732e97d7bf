package dev.junction.outbox;

import org.apache.camel.spi.Metadata;

/** Headers of the outbox component. */
public final class OutboxConstants {

    @Metadata(label = "consumer", description = "Rows published in the batch", javaType = "int")
    public static final String PUBLISHED = "JunctionOutboxPublished";
    @Metadata(label = "consumer", description = "Id of the first row published in the batch", javaType = "long")
    public static final String FIRST_ID = "JunctionOutboxFirstId";
    @Metadata(label = "consumer", description = "Id of the last row published in the batch", javaType = "long")
    public static final String LAST_ID = "JunctionOutboxLastId";
    @Metadata(label = "producer", description = "Operation to run, overriding the endpoint's", javaType = "String")
    public static final String OPERATION = "JunctionOutboxOperation";
    @Metadata(label = "producer", description = "Row ids for requeue and skip (comma separated or a list); empty: all failed rows",
              javaType = "String")
    public static final String IDS = "JunctionOutboxIds";

    private OutboxConstants() {
    }
}
