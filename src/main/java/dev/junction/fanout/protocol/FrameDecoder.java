package dev.junction.fanout.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

/**
 * Cuts the byte stream into frames (4-byte length, then the frame) and decodes each. A length above the limit or
 * a frame that does not parse raises {@link BadFrameException}, before the frame's bytes are even buffered.
 */
public class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;

    public FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** What went wrong in a pipeline: Netty wraps a decoder's exception (a {@link BadFrameException}) in its own. */
    public static Throwable cause(Throwable caught) {
        return caught instanceof DecoderException && caught.getCause() != null ? caught.getCause() : caught;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length <= 0 || length > maxFrameBytes) {
                in.skipBytes(in.readableBytes());
                throw new BadFrameException("frame of " + length + " bytes; the limit is " + maxFrameBytes);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf body = in.readSlice(length);
            out.add(FrameCodec.read(body));
        }
    }
}
