package dev.junction.quic;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.junction.support.JunctionException;
import io.netty.incubator.codec.quic.Quic;
import io.netty.incubator.codec.quic.QuicCodecBuilder;
import io.netty.incubator.codec.quic.QuicCongestionControlAlgorithm;

/** The QUIC transport parameters both native sides use: windows, streams, idle timeout, congestion control. */
final class NativeSettings {

    /** Socket buffers: bursts of a fast peer overflow the default (~200 KB); the kernel caps this at rmem_max/wmem_max. */
    static final int SOCKET_BUFFER = 8 * 1024 * 1024;
    /** Flow-control windows, far above the bandwidth x round trip of the links quic-sync is for (10 Mbit/s x 200 ms = 250 KB). */
    private static final long CONNECTION_WINDOW = 64L * 1024 * 1024;
    private static final long STREAM_WINDOW = 16L * 1024 * 1024;
    /** HTTP/3's control and QPACK streams each way, with room for their data. */
    private static final int UNIDIRECTIONAL_STREAMS = 3;
    private static final long UNIDIRECTIONAL_WINDOW = 1024 * 1024;

    private final QuicConfiguration config;

    NativeSettings(QuicConfiguration config) {
        if (!Quic.isAvailable()) {
            throw new JunctionException("the native QUIC transport cannot load quiche on this platform ("
                    + Quic.unavailabilityCause().getMessage() + "); it ships for linux-x86_64: set transport=kwik"
                    + " (quic-sync.transport=kwik) elsewhere", Quic.unavailabilityCause());
        }
        this.config = config;
    }

    <B extends QuicCodecBuilder<B>> B apply(B builder) {
        return builder.maxIdleTimeout(config.getIdleTimeoutSeconds(), TimeUnit.SECONDS)
                .congestionControlAlgorithm(congestionControl())
                .initialMaxData(CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
                .initialMaxStreamsBidirectional(100)
                .initialMaxStreamsUnidirectional(UNIDIRECTIONAL_STREAMS)
                .initialMaxStreamDataUnidirectional(UNIDIRECTIONAL_WINDOW);
    }

    QuicCongestionControlAlgorithm congestionControl() {
        String name = config.getCongestionControl() == null ? "bbr" : config.getCongestionControl().trim().toUpperCase(Locale.ROOT);
        try {
            return QuicCongestionControlAlgorithm.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new JunctionException("quic congestionControl '" + config.getCongestionControl() + "' is unknown; use bbr, cubic or reno");
        }
    }
}
