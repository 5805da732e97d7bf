package dev.junction.quicsync;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the quic-sync tests: one destination cluster and certificate per test class (the source is the shared broker). */
abstract class TwoClusterTest {

    @TempDir
    static Path dir;
    static QuicSyncFixture fixture;

    @BeforeAll
    static void clusters() throws Exception {
        fixture = new QuicSyncFixture(dir);
    }

    @AfterAll
    static void stopClusters() {
        fixture.close();
    }
}
