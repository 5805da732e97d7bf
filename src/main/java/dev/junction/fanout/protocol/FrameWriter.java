package dev.junction.fanout.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Writes the frames of one connection that come thick and fast (DELIVERs from the server, ACKs from a client) into
 * one buffer per turn of the connection's event loop, written and flushed once at the end of that turn. Through
 * the pipeline, each frame cost a buffer, an encoder pass and an entry in the outbound queue of its own, a good
 * part of the work per record. The bytes are the same frames as {@link FrameEncoder} writes.
 * <p>
 * Only for the connection's event loop thread.
 */
public final class FrameWriter {

    /** A turn's buffer goes out early at this size, so that a long turn does not hold a large one. */
    private static final int EARLY_FLUSH_BYTES = 64 * 1024;

    private final Channel channel;
    private ByteBuf pending;

    public FrameWriter(Channel channel) {
        this.channel = channel;
    }

    public void write(Frame frame) {
        if (pending == null) {
            pending = channel.alloc().ioBuffer(8 * 1024);
            channel.eventLoop().execute(this::flush); // runs once the loop's current turn is done
        }
        int start = pending.writerIndex();
        pending.writeInt(0);
        FrameCodec.write(frame, pending);
        pending.setInt(start, pending.writerIndex() - start - 4);
        if (pending.readableBytes() >= EARLY_FLUSH_BYTES) {
            flush();
        }
    }

    /** Writes and flushes what this turn wrote (nothing when an early flush took it already). */
    public void flush() {
        ByteBuf out = pending;
        if (out != null) {
            pending = null;
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }
}
