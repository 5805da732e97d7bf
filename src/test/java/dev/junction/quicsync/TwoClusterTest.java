package dev.junction.quicsync;

import java.nio.file.Path;

import org.awaitility.Awaitility;
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
        // Awaitility fails a wait on an uncaught exception of any thread. kwik's sender threads of a connection that
        // ends after its server was closed (an earlier test's) throw a NullPointerException in ServerConnectorImpl.closed:
        // kwik's teardown, not this test's subject.
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        fixture = new QuicSyncFixture(dir);
    }

    @AfterAll
    static void stopClusters() {
        fixture.close();
    }
}
