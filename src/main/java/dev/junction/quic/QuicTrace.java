package dev.junction.quic;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import tech.kwik.core.log.FileLogger;
import tech.kwik.core.log.Logger;
import tech.kwik.core.log.NullLogger;

/**
 * kwik's own logging for diagnosing the QUIC layer: off unless the system property {@code junction.quic.trace-dir}
 * names a directory; then every server and client connection logs packets, streams, recovery and flow control to
 * a file of its own there. It is verbose: for a debugging session, never for production.
 */
final class QuicTrace {

    static final String TRACE_DIR_PROPERTY = "junction.quic.trace-dir";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private QuicTrace() {
    }

    static Logger logger(String side) {
        String dir = System.getProperty(TRACE_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return new NullLogger();
        }
        try {
            Files.createDirectories(Path.of(dir));
            FileLogger logger = new FileLogger(new File(dir, side + "-" + SEQUENCE.incrementAndGet() + ".log"));
            logger.logPackets(true);
            logger.logStream(true);
            logger.logRecovery(true);
            logger.logFlowControl(true);
            logger.logCongestionControl(true);
            logger.logInfo(true);
            logger.logWarning(true);
            logger.logDebug(true);
            logger.useRelativeTime(true);
            return logger;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the QUIC trace to " + dir, e);
        }
    }
}
