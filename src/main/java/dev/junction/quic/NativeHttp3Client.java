package dev.junction.quic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.http3.DefaultHttp3DataFrame;
import io.netty.incubator.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.incubator.codec.http3.Http3;
import io.netty.incubator.codec.http3.Http3ClientConnectionHandler;
import io.netty.incubator.codec.http3.Http3DataFrame;
import io.netty.incubator.codec.http3.Http3HeadersFrame;
import io.netty.incubator.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionPathStats;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's HTTP/3 client on Netty's QUIC codec: {@code connections} QUIC connections over one UDP socket, each
 * made when first used and made again once it has failed or gone silent. The server's certificate must name the host.
 */
final class NativeHttp3Client implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHttp3Client.class);
    private static final long SILENCE_CHECK_MS = 250;

    private final QuicConfiguration config;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel socket;
    private final AtomicReferenceArray<QuicChannel> connections;
    /** Per slot: requests waiting for an answer, whether the connection went silent, and the lock of its handshake. */
    private final AtomicInteger[] awaiting;
    private final ConnectionSilence[] silence;
    private final Object[] connecting;

    NativeHttp3Client(QuicConfiguration config) throws Exception {
        this.config = config;
        int slots = Math.max(1, config.getConnections());
        this.connections = new AtomicReferenceArray<>(slots);
        this.awaiting = new AtomicInteger[slots];
        this.silence = new ConnectionSilence[slots];
        this.connecting = new Object[slots];
        for (int i = 0; i < slots; i++) {
            awaiting[i] = new AtomicInteger();
            silence[i] = new ConnectionSilence();
            connecting[i] = new Object();
        }
        ChannelHandler codec = new NativeSettings(config).apply(Http3.newQuicClientCodecBuilder())
                .sslContext(NativeTls.client(config))
                .build();
        try {
            socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, NativeSettings.SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, NativeSettings.SOCKET_BUFFER)
                    .handler(codec).bind(0).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        group.scheduleAtFixedRate(this::replaceSilentConnections, SILENCE_CHECK_MS, SILENCE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** A request on its way, and the connection it went on. */
    record Sent(QuicChannel connection, CompletableFuture<QuicAnswer> answer) {
    }

    /** Sends one request on connection {@code slot}; the future completes with the whole response. */
    Sent send(int slot, String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        QuicChannel connection = connection(slot);
        CompletableFuture<QuicAnswer> answer = new CompletableFuture<>();
        awaiting[slot].incrementAndGet();
        answer.whenComplete((a, e) -> awaiting[slot].decrementAndGet());
        Http3.newRequestStream(connection, new ResponseStream(answer)).addListener(opened -> {
            if (!opened.isSuccess()) {
                answer.completeExceptionally(opened.cause());
                return;
            }
            QuicStreamChannel stream = (QuicStreamChannel) opened.getNow();
            answer.whenComplete((a, e) -> {
                if (e != null) {
                    stream.close(); // cancelled or timed out: the stream goes, the connection stays
                }
            });
            Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
            head.headers().method(method).path(path).scheme("https").authority(config.getHost() + ":" + config.getPort());
            headers.forEach((name, value) -> head.headers().set(name, value));
            byte[] out = body == null ? new byte[0] : body;
            head.headers().setInt("content-length", out.length);
            if (out.length == 0) {
                stream.writeAndFlush(head).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            } else {
                stream.write(head);
                // FIN travels with the last DATA frame.
                stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(out))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        });
        return new Sent(connection, answer);
    }

    /** Closes {@code broken}, and forgets it if it is still connection {@code slot}: the next request makes a new one. */
    void drop(int slot, QuicChannel broken) {
        connections.compareAndSet(slot, broken, null);
        broken.close();
    }

    /**
     * Replaces each connection that went silent while requests waited on it (ConnectionSilence): closing it fails
     * those requests at once, and their retries open a new connection instead of waiting for the old one's probes.
     */
    private void replaceSilentConnections() {
        for (int slot = 0; slot < connections.length(); slot++) {
            QuicChannel c = connections.get(slot);
            if (c == null || !c.isActive()) {
                continue;
            }
            int s = slot;
            boolean waiting = awaiting[slot].get() > 0;
            c.collectPathStats(0).addListener(f -> {
                if (!f.isSuccess()) {
                    return;
                }
                QuicConnectionPathStats stats = (QuicConnectionPathStats) f.getNow();
                if (silence[s].silent(stats.recv(), stats.sent(), stats.rtt(), waiting, System.currentTimeMillis())) {
                    LOG.info("QUIC connection {} to {}:{} sends and hears nothing back (is the link down?); replacing it",
                            s, config.getHost(), config.getPort());
                    drop(s, c);
                }
            });
        }
    }

    private QuicChannel connection(int slot) throws Exception {
        QuicChannel c = connections.get(slot);
        if (c != null && c.isActive()) {
            return c;
        }
        synchronized (connecting[slot]) {
            c = connections.get(slot);
            if (c != null && c.isActive()) {
                return c;
            }
            Future<QuicChannel> handshake = QuicChannel.newBootstrap(socket)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel ch) {
                            ch.pipeline().addLast(new Http3ClientConnectionHandler(), new ClosedConnectionErrors());
                        }
                    })
                    .remoteAddress(new InetSocketAddress(config.getHost(), config.getPort()))
                    .connect();
            if (!handshake.await(config.getConnectTimeoutMs(), TimeUnit.MILLISECONDS)) {
                // A link that is down: the next request tries a new handshake. This one is closed if it ends late
                // (cancelling it instead races Netty's own completion of the promise).
                handshake.addListener(late -> {
                    if (late.isSuccess()) {
                        ((QuicChannel) late.getNow()).close();
                    }
                });
                throw new IOException("no QUIC handshake with " + config.getHost() + ":" + config.getPort() + " within "
                        + config.getConnectTimeoutMs() + " ms (connectTimeoutMs)");
            }
            if (!handshake.isSuccess()) {
                throw new IOException("QUIC handshake with " + config.getHost() + ":" + config.getPort() + " failed: "
                        + handshake.cause().getMessage(), handshake.cause());
            }
            QuicChannel made = handshake.getNow();
            try {
                NativeTls.checkHostName(made.sslEngine().getSession(), config.getHost());
            } catch (IOException e) {
                made.close();
                throw e;
            }
            connections.set(slot, made);
            return made;
        }
    }

    /**
     * Errors of a connection that is closed or closing (a handshake that ended after its timeout is closed at once,
     * and HTTP/3 then cannot open its control stream): expected, so not worth a stack trace on the console.
     */
    private static final class ClosedConnectionErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel().isActive()) {
                LOG.warn("QUIC connection to {} failed: {}", ((QuicChannel) ctx.channel()).remoteSocketAddress(), cause.toString());
            } else {
                LOG.debug("closed QUIC connection: {}", cause.toString());
            }
        }
    }

    /**
     * Gathers the response: its status, then its body, complete once content-length bytes arrived or at the server's
     * FIN. Not waiting for the FIN matters on a lossy link: quiche on either side sometimes never delivers a FIN that
     * travelled apart from the last DATA frame (seen on lossy-link (a) as one request in ~50 unanswered until timeout).
     */
    private static final class ResponseStream extends Http3RequestStreamInboundHandler {

        private final CompletableFuture<QuicAnswer> answer;
        private int status;
        private String contentType;
        private long contentLength = -1;
        private CompositeByteBuf body;

        ResponseStream(CompletableFuture<QuicAnswer> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            CharSequence s = frame.headers().status();
            if (s != null) {
                status = Integer.parseInt(s.toString());
            }
            CharSequence type = frame.headers().get("content-type");
            contentType = type == null ? null : type.toString();
            contentLength = ContentLength.of(frame.headers().get("content-length"));
            ReferenceCountUtil.release(frame);
            if (contentLength == 0) {
                complete(ctx);
            }
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            if (answer.isDone()) {
                ReferenceCountUtil.release(frame);
                return;
            }
            if (body == null) {
                body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            }
            body.addComponent(true, frame.content().retain());
            ReferenceCountUtil.release(frame);
            if (contentLength >= 0 && body.readableBytes() >= contentLength) {
                complete(ctx);
            }
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            complete(ctx);
        }

        private void complete(ChannelHandlerContext ctx) {
            if (answer.isDone()) {
                return;
            }
            byte[] bytes = body == null ? new byte[0] : ByteBufUtil.getBytes(body);
            release();
            if (status == 0) {
                answer.completeExceptionally(new IOException("the server closed the stream without a response"));
            } else if (contentLength >= 0 && bytes.length != contentLength) {
                answer.completeExceptionally(new IOException("the response had " + bytes.length + " bytes, its content-length "
                        + contentLength));
            } else {
                answer.complete(new QuicAnswer(status, contentType, bytes));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            release();
            answer.completeExceptionally(new IOException("the stream closed before the response was complete"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            release();
            answer.completeExceptionally(cause);
            ctx.close();
        }

        private void release() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < connections.length(); i++) {
            QuicChannel c = connections.getAndSet(i, null);
            if (c != null) {
                c.close();
            }
        }
        socket.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
