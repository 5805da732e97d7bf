package dev.junction.quic;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

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
import io.netty.incubator.codec.http3.Http3DataFrame;
import io.netty.incubator.codec.http3.Http3ErrorCode;
import io.netty.incubator.codec.http3.Http3Headers;
import io.netty.incubator.codec.http3.Http3HeadersFrame;
import io.netty.incubator.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.incubator.codec.http3.Http3ServerConnectionHandler;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's HTTP/3 server on Netty's QUIC codec (quiche): BBR or CUBIC, client certificates. A request's body is
 * gathered on the event loop (refused with 413 as soon as it passes maxBodyBytes, and the client asked to stop
 * sending); the route runs on a thread of its own, and the response goes out with FIN on its last DATA frame.
 */
final class NativeHttp3Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHttp3Server.class);
    private static final int ROUTE_THREADS = 64;
    private static final int QUEUED_REQUESTS = 256;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ExecutorService routeThreads;
    private final CamelContext context;
    private final Channel channel;

    NativeHttp3Server(QuicConfiguration config, QuicConsumer consumer, CamelContext context) throws Exception {
        this.context = context;
        // Bounded: a flood of slow requests gets 503 (try again) instead of a thread each. All threads are core
        // threads: a pool grows past its core only once its queue is full, and a request that waits for the batch it
        // follows must not hold up that batch in the queue behind it.
        this.routeThreads = context.getExecutorServiceManager().newThreadPool(this, "QuicNativeServer",
                new ThreadPoolProfileBuilder("quic-native-server").poolSize(ROUTE_THREADS).maxPoolSize(ROUTE_THREADS)
                        .allowCoreThreadTimeOut(true).maxQueueSize(QUEUED_REQUESTS)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        NativeSettings settings = new NativeSettings(config);
        ChannelHandler codec = settings.apply(Http3.newQuicServerCodecBuilder())
                .sslContext(NativeTls.server(config))
                // No token handler: no Retry packet, one round trip less to connect over a long link.
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel connection) {
                        connection.pipeline().addLast(new Http3ServerConnectionHandler(new ChannelInitializer<QuicStreamChannel>() {
                            @Override
                            protected void initChannel(QuicStreamChannel stream) {
                                stream.pipeline().addLast(new RequestStream(consumer));
                            }
                        }), new ConnectionFailures());
                    }
                })
                .build();
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, NativeSettings.SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, NativeSettings.SOCKET_BUFFER)
                    .handler(codec).bind(new InetSocketAddress(config.getHost(), config.getPort())).sync().channel();
        } catch (Exception e) {
            close();
            throw e instanceof java.net.BindException ? QuicConsumer.portBusy(config) : e;
        }
    }

    /** A connection that fails (a client without a trusted certificate, say): one line, not a stack trace. */
    private static final class ConnectionFailures extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.info("HTTP/3 connection from {} closed: {}", ((QuicChannel) ctx.channel()).remoteSocketAddress(), cause.getMessage());
            ctx.close();
        }
    }

    /**
     * One request stream: headers, then the body gathered up to the limit, then the route's answer. The request is
     * complete once content-length bytes arrived (or at the client's FIN when it sends none): a FIN that travels apart
     * from the last DATA frame is sometimes never delivered on a lossy link (see NativeHttp3Client's ResponseStream).
     */
    private final class RequestStream extends Http3RequestStreamInboundHandler {

        private final QuicConsumer consumer;
        private final Map<String, String> headers = new HashMap<>();
        private String method;
        private String path;
        private long contentLength = -1;
        private CompositeByteBuf body;
        private boolean answered;

        RequestStream(QuicConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            Http3Headers h = frame.headers();
            method = String.valueOf(h.method());
            path = String.valueOf(h.path());
            h.forEach(e -> {
                String name = e.getKey().toString().toLowerCase();
                if (!name.startsWith(":")) {
                    headers.putIfAbsent(name, e.getValue().toString());
                }
            });
            contentLength = ContentLength.of(h.get("content-length"));
            ReferenceCountUtil.release(frame);
            QuicAnswer refused = consumer.refusal(headers.get("authorization"));
            if (refused != null) {
                refuse(ctx, refused); // before any of the body is kept
            } else if (contentLength > consumer.maxBodyBytes()) {
                refuse(ctx, QuicConsumer.tooLarge(consumer.maxBodyBytes()));
            } else if (contentLength == 0) {
                dispatch(ctx);
            }
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            try {
                if (answered) {
                    return;
                }
                if (body == null) {
                    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                }
                if (body.readableBytes() + (long) frame.content().readableBytes() > consumer.maxBodyBytes()) {
                    refuse(ctx, QuicConsumer.tooLarge(consumer.maxBodyBytes()));
                    return;
                }
                body.addComponent(true, frame.content().retain());
            } finally {
                ReferenceCountUtil.release(frame);
            }
            if (answered) {
                return; // refused above, or before
            }
            if (contentLength >= 0 && body.readableBytes() > contentLength) {
                refuse(ctx, QuicAnswer.text(400, "the body is longer than its content-length " + contentLength));
            } else if (contentLength >= 0 && body.readableBytes() == contentLength) {
                dispatch(ctx);
            }
        }

        /** Answers at once and asks the client to stop sending the rest of its body (STOP_SENDING, H3_NO_ERROR). */
        private void refuse(ChannelHandlerContext ctx, QuicAnswer answer) {
            answered = true;
            releaseBody();
            respond(ctx, answer);
            ((QuicStreamChannel) ctx.channel()).shutdownInput(Http3ErrorCode.H3_NO_ERROR.code());
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            dispatch(ctx);
        }

        /** Hands the whole request to the route, once. */
        private void dispatch(ChannelHandlerContext ctx) {
            if (answered) {
                return;
            }
            answered = true;
            byte[] bytes = body == null ? new byte[0] : ByteBufUtil.getBytes(body);
            releaseBody();
            if (method == null || (contentLength >= 0 && bytes.length != contentLength)) {
                // The stream ended (or was reset) before the whole request: never handed to the route.
                respond(ctx, QuicAnswer.text(400, method == null ? "the request has no headers"
                        : "the body ended after " + bytes.length + " of its content-length " + contentLength + " bytes"));
                return;
            }
            QuicRequest request = new QuicRequest(method, path, headers, bytes);
            // The route may block (Kafka, databases): never on the event loop.
            try {
                routeThreads.execute(() -> respond(ctx, consumer.answer(request)));
            } catch (RejectedExecutionException e) {
                respond(ctx, QuicAnswer.text(503, "the server is busy with " + (ROUTE_THREADS + QUEUED_REQUESTS)
                        + " requests; try again"));
            }
        }

        private void respond(ChannelHandlerContext ctx, QuicAnswer answer) {
            Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
            head.headers().status(String.valueOf(answer.status()));
            if (answer.contentType() != null) {
                head.headers().set("content-type", answer.contentType());
            }
            byte[] out = answer.body() == null ? new byte[0] : answer.body();
            head.headers().setInt("content-length", out.length);
            if (out.length == 0) {
                ctx.writeAndFlush(head).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            } else {
                ctx.write(head);
                // FIN travels with the last DATA frame.
                ctx.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(out))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            releaseBody();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("HTTP/3 request stream {} failed: {}", path, cause.toString());
            answered = true; // (HTTP/3 validation, a reset): what arrived is never handed to the route
            releaseBody();
            ctx.close();
        }

        private void releaseBody() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        context.getExecutorServiceManager().shutdown(routeThreads);
    }
}
