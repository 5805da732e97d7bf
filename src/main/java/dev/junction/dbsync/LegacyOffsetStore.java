package dev.junction.dbsync;

import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * Debezium's file offset store, which first waits until every legacy change sent so far is acknowledged by Kafka
 * ({@link LegacyChangeSender}): the offsets on disk never pass a change that is not on the legacy topic, so a crash
 * or a refused change loses nothing. Debezium makes it by class name ({@code offsetStorage} of the capture route).
 */
public final class LegacyOffsetStore extends FileOffsetBackingStore {

    private String file;

    public LegacyOffsetStore() {
        super(KafkaConnectUtil.converterForOffsetStore());
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG);
    }

    @Override
    protected void save() {
        LegacyChangeSender sender = LegacyChangeSender.forOffsetsFile(file);
        if (sender != null) {
            sender.awaitAcknowledged();
        }
        super.save();
    }
}
