package dev.junction.fanout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.junction.fanout.protocol.BadFrameException;
import dev.junction.fanout.protocol.Frame;
import dev.junction.fanout.protocol.FrameCodec;
import dev.junction.fanout.protocol.FrameDecoder;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection on the server side: checks its HELLO, then passes its ACKs and NACKs to the
 * {@link Dispatcher}. Anything outside the protocol closes the connection with a CLOSE frame naming the reason.
 */
final class ClientConnection extends SimpleChannelInboundHandler<Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final FanoutService service;
    private ClientSession session;

    ClientConnection(FanoutService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Ack ack) {
            requireSession(ctx, "ACK");
            if (session != null) {
                service.dispatcher().acknowledged(session, ack.id());
            }
        } else if (frame instanceof Frame.Nack nack) {
            requireSession(ctx, "NACK");
            if (session != null) {
                service.dispatcher().refused(session, nack.id(), nack.reason());
            }
        } else if (frame instanceof Frame.Hello hello) {
            hello(ctx, hello);
        } else if (frame instanceof Frame.Heartbeat) {
            requireSession(ctx, "HEARTBEAT");
        } else if (frame instanceof Frame.Close close) {
            LOG.debug("fanout: client closes: {}", close.reason());
            ctx.close();
        } else {
            refuse(ctx, "a client does not send " + frame.getClass().getSimpleName().toUpperCase() + " frames");
        }
    }

    private void hello(ChannelHandlerContext ctx, Frame.Hello hello) {
        if (session != null) {
            service.dispatcher().violation(session, "a second HELLO");
            return;
        }
        FanoutConfiguration config = service.configuration();
        if (hello.version() != FrameCodec.VERSION) {
            refuse(ctx, "protocol version " + hello.version() + " is not supported; this server speaks " + FrameCodec.VERSION);
        } else if (hello.clientName().isBlank()) {
            refuse(ctx, "HELLO without a client name");
        } else if (hello.maxInFlight() < 1 || hello.maxInFlight() > config.getMaxClientInFlight()) {
            refuse(ctx, "max in flight " + hello.maxInFlight() + " is outside 1.." + config.getMaxClientInFlight()
                    + " (fanout.max-client-in-flight)");
        } else if (!tokenMatches(config.getToken(), hello.token())) {
            refuse(ctx, "the token is missing or wrong (fanout.token)");
        } else if (!service.isLeader()) {
            ctx.writeAndFlush(new Frame.Redirect(service.leaderAddress())).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(new Frame.Welcome(service.address(), config.getHeartbeatMs(), config.getAckTimeoutMs()));
            session = service.dispatcher().open(ctx.channel(), hello);
        }
    }

    private static boolean tokenMatches(String expected, String given) {
        if (expected == null || expected.isEmpty()) {
            return true;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                (given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
    }

    private void requireSession(ChannelHandlerContext ctx, String frame) {
        if (session == null) {
            refuse(ctx, frame + " before HELLO");
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (session != null) {
            service.dispatcher().violation(session, reason);
            session = null;
            return;
        }
        service.dispatcher().protocolErrors.incrementAndGet();
        LOG.warn("fanout: closing the connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(new Frame.Close(reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                refuse(ctx, "nothing received for " + 3 * service.configuration().getHeartbeatMs()
                        + " ms (3 heartbeat intervals, fanout.heartbeat-ms)");
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = FrameDecoder.cause(cause);
        if (reason instanceof BadFrameException) {
            refuse(ctx, reason.getMessage());
        } else if (reason instanceof IOException) {
            LOG.debug("fanout: connection from {} failed: {}", ctx.channel().remoteAddress(), reason.toString());
            ctx.close();
        } else {
            LOG.warn("fanout: closing the connection from {} after an unexpected error", ctx.channel().remoteAddress(), reason);
            refuse(ctx, "server error: " + reason);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            service.dispatcher().closed(session, "connection closed");
            session = null;
        }
        super.channelInactive(ctx);
    }
}
