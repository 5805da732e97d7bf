package dev.junction.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The MirrorMaker 2 (dedicated mode) configuration both quic-sync benchmarks run: clusters A -> B, one topic,
 * single-broker replication factors, and none of the extras (heartbeats, checkpoints, group offset sync) that
 * quic-sync does not do either.
 */
final class MirrorMakerConfig {

    private MirrorMakerConfig() {
    }

    /** The properties file's text; {@code extraLines} ("key = value") go in as well. */
    static String oneTopic(String sourceBootstrap, String destinationBootstrap, String topic, int tasks, String... extraLines) {
        List<String> lines = new ArrayList<>(List.of(
                "clusters = A, B",
                "A.bootstrap.servers = " + sourceBootstrap,
                "B.bootstrap.servers = " + destinationBootstrap,
                "A->B.enabled = true",
                "A->B.topics = " + topic,
                "B->A.enabled = false",
                "tasks.max = " + tasks,
                "replication.factor = 1",
                "offset-syncs.topic.replication.factor = 1",
                "checkpoints.topic.replication.factor = 1",
                "heartbeats.topic.replication.factor = 1",
                "config.storage.replication.factor = 1",
                "offset.storage.replication.factor = 1",
                "status.storage.replication.factor = 1",
                "emit.heartbeats.enabled = false",
                "emit.checkpoints.enabled = false",
                "sync.group.offsets.enabled = false",
                "refresh.topics.interval.seconds = 2"));
        lines.addAll(List.of(extraLines));
        return String.join("\n", lines) + "\n";
    }
}
