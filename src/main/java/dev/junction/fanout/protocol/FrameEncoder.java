package dev.junction.fanout.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a frame with its 4-byte length in front. */
@ChannelHandler.Sharable
public class FrameEncoder extends MessageToByteEncoder<Frame> {

    public FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        int size = 4 + FrameCodec.sizeHint(frame);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        FrameCodec.write(frame, out);
        out.setInt(start, out.writerIndex() - start - 4);
    }
}
