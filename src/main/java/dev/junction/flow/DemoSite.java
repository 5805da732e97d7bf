package dev.junction.flow;

import java.nio.file.Path;

import dev.junction.infra.Infrastructure;

/**
 * What the demo offers each flow's {@link FlowDemo}: the embedded servers, a data directory, the rate of the sample
 * data, and a way to tell the user one line (where the remote site runs, say).
 */
public interface DemoSite {

    Infrastructure infra();

    /** The demo's data directory ({@code .junction}); a flow keeps its own files in a subdirectory. */
    Path dataDir();

    /** Sample records (or rows) per second a feeder writes. */
    int recordsPerSecond();

    /** A line for the console, such as where a remote site runs. */
    void announce(String line);
}
