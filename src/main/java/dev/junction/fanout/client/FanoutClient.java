package dev.junction.fanout.client;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import dev.junction.fanout.protocol.BadFrameException;
import dev.junction.fanout.protocol.Frame;
import dev.junction.fanout.protocol.FrameCodec;
import dev.junction.fanout.protocol.FrameDecoder;
import dev.junction.fanout.protocol.FrameEncoder;
import dev.junction.fanout.protocol.FrameWriter;
import dev.junction.support.TlsMaterial;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fanout client: connects to a daemon, says HELLO and hands each record it receives to its {@link Handler}, which
 * acknowledges it ({@link Received#ack()}) or refuses it ({@link Received#nack(String)}). It follows REDIRECTs to
 * the leader, tries the next server when one is unreachable, and reconnects by itself with a growing back-off.
 * <pre>{@code
 * FanoutClient client = FanoutClient.builder().servers("localhost:9400").name("worker-1")
 *         .handler(record -> { process(record.value()); record.ack(); }).start();
 * }</pre>
 * The handler runs on the client's network thread: hand slow work to a thread of your own and ack from there.
 */
public final class FanoutClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutClient.class);
    private static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2000;

    /** What the client does with each record. */
    @FunctionalInterface
    public interface Handler {
        void onRecord(Received record);
    }

    /** One record as the client received it; answer it once with {@link #ack()} or {@link #nack(String)}. */
    public static final class Received {
        private final Frame.Deliver frame;
        private final Channel channel;
        private final FrameWriter acks;

        Received(Frame.Deliver frame, Channel channel, FrameWriter acks) {
            this.frame = frame;
            this.channel = channel;
            this.acks = acks;
        }

        public long id() {
            return frame.id();
        }

        public String topic() {
            return frame.topic();
        }

        public int partition() {
            return frame.partition();
        }

        public long offset() {
            return frame.offset();
        }

        /** 1 for the first delivery of the record; more when another client had it before. */
        public int attempt() {
            return frame.attempt();
        }

        public byte[] key() {
            return frame.key();
        }

        public List<Frame.Header> headers() {
            return frame.headers();
        }

        public byte[] value() {
            return frame.value();
        }

        /** From any thread; on the client's network thread (in the handler), ACKs of one read go out together. */
        public void ack() {
            Frame.Ack ack = new Frame.Ack(frame.id());
            if (channel.eventLoop().inEventLoop()) {
                acks.write(ack);
            } else {
                channel.eventLoop().execute(() -> acks.write(ack));
            }
        }

        public void nack(String reason) {
            channel.writeAndFlush(new Frame.Nack(frame.id(), reason), channel.voidPromise());
        }
    }

    /** Settings of a client; {@link #start()} connects it. */
    public static final class Builder {
        private final List<String> servers = new ArrayList<>();
        private String name = "client";
        private String group = "";
        private int maxInFlight = 100;
        private String token = "";
        private Path trustCertFile;
        private Handler handler;

        /** host:port of the daemons (any of them: followers redirect to the leader). */
        public Builder servers(String... hostPorts) {
            for (String list : hostPorts) {
                for (String s : list.split(",")) {
                    if (!s.isBlank()) {
                        servers.add(s.trim());
                    }
                }
            }
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The group label the daemon's route sends to (canary, say); empty: the daemon's default group, stable. */
        public Builder group(String group) {
            this.group = group == null ? "" : group;
            return this;
        }

        /** Records the daemon may send before this client acknowledges one. */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder token(String token) {
            this.token = token == null ? "" : token;
            return this;
        }

        /** Connect over TLS, trusting the daemon's certificate in this PEM file (its name must match the host). */
        public Builder trustCertFile(Path pemFile) {
            this.trustCertFile = pemFile;
            return this;
        }

        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        public FanoutClient start() {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("a fanout client needs at least one server (host:port)");
            }
            return new FanoutClient(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final Builder settings;
    private final Handler handler;
    private final EventLoopGroup loop;
    private final Bootstrap bootstrap;
    private final AtomicLong received = new AtomicLong();
    private volatile boolean closed;
    private volatile Channel channel;
    private volatile boolean welcomed;
    private volatile String lastCloseReason;
    private volatile String server = "";
    private volatile CountDownLatch connected = new CountDownLatch(1);
    private int serverIndex;
    private String redirectTo;
    private long backoffMs = FIRST_BACKOFF_MS;
    private final SslContext tls;
    private String targetHost;
    private int targetPort;

    private FanoutClient(Builder settings) {
        this.settings = settings;
        this.handler = Objects.requireNonNull(settings.handler, "a fanout client needs a handler");
        this.tls = settings.trustCertFile == null ? null : clientTls(settings.trustCertFile);
        boolean epoll = Epoll.isAvailable();
        this.loop = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.bootstrap = new Bootstrap().group(loop).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // Runs on the loop within connect(): targetHost is the server being connected to.
                            SslHandler handler = tls.newHandler(ch.alloc(), targetHost, targetPort);
                            SSLParameters parameters = handler.engine().getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                            handler.engine().setSSLParameters(parameters);
                            ch.pipeline().addLast(handler);
                        }
                        ch.pipeline()
                                .addLast(new FlushConsolidationHandler(256, true))
                                .addLast("idle", new IdleStateHandler(0, 0, 0))
                                .addLast(new FrameDecoder(MAX_FRAME_BYTES))
                                .addLast(new FrameEncoder())
                                .addLast(new Connection());
                    }
                });
        loop.execute(this::connect);
    }

    private static SslContext clientTls(Path trustCertFile) {
        try {
            return SslContextBuilder.forClient()
                    .trustManager(TlsMaterial.certificates(trustCertFile, "the client's trust certificate file (--trust-cert-file)")
                            .toArray(new X509Certificate[0])).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot trust the certificate in " + trustCertFile + ": " + e.getMessage(), e);
        }
    }

    /** Waits until a daemon accepted this client (WELCOME); false when it did not within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        return welcomed;
    }

    /** Records received so far (redeliveries included). */
    public long received() {
        return received.get();
    }

    /** Why the daemon last closed this client's connection (its CLOSE frame), or null. */
    public String lastCloseReason() {
        return lastCloseReason;
    }

    public String name() {
        return settings.name;
    }

    /** The address of the daemon that accepted this client (its WELCOME), or empty while not connected. */
    public String server() {
        return welcomed ? server : "";
    }

    /** Drops the connection without a word, as a crash would: what this client held goes to other clients. */
    public void disconnect() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        Channel c = channel;
        if (c != null) {
            c.writeAndFlush(new Frame.Close("client closes")).awaitUninterruptibly(1, TimeUnit.SECONDS);
            c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private void connect() {
        if (closed) {
            return;
        }
        String target = redirectTo != null ? redirectTo : settings.servers.get(serverIndex % settings.servers.size());
        redirectTo = null;
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        targetHost = host;
        targetPort = port;
        ChannelFuture attempt = bootstrap.connect(host, port);
        attempt.addListener(f -> {
            if (f.isSuccess()) {
                channel = attempt.channel();
                channel.writeAndFlush(new Frame.Hello(FrameCodec.VERSION, settings.name, settings.group,
                        settings.maxInFlight, settings.token));
            } else {
                LOG.debug("fanout client {}: cannot connect to {}: {}", settings.name, target, f.cause().toString());
                serverIndex++;
                retryLater();
            }
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The client's side of one connection. */
    private final class Connection extends SimpleChannelInboundHandler<Frame> {
        private FrameWriter acks;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            acks = new FrameWriter(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Deliver deliver) {
                received.incrementAndGet();
                handler.onRecord(new Received(deliver, ctx.channel(), acks));
            } else if (frame instanceof Frame.Welcome welcome) {
                server = welcome.serverName();
                welcomed = true;
                backoffMs = FIRST_BACKOFF_MS;
                int hb = welcome.heartbeatMs();
                ctx.pipeline().replace("idle", "idle", new IdleStateHandler(3L * hb, 0, 0, TimeUnit.MILLISECONDS));
                // Heartbeats on a timer rather than on writer idleness: watching writes costs every ACK a promise.
                var beats = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(new Frame.Heartbeat(), ctx.voidPromise()),
                        hb, hb, TimeUnit.MILLISECONDS);
                ctx.channel().closeFuture().addListener(f -> beats.cancel(false));
                LOG.info("fanout client {}: connected to {}", settings.name, welcome.serverName());
                connected.countDown();
            } else if (frame instanceof Frame.Redirect redirect) {
                LOG.info("fanout client {}: redirected to the leader at {}", settings.name,
                        redirect.leader().isEmpty() ? "(not known yet)" : redirect.leader());
                if (!redirect.leader().isEmpty()) {
                    redirectTo = redirect.leader();
                } else {
                    serverIndex++;
                }
                ctx.close();
            } else if (frame instanceof Frame.Close close) {
                lastCloseReason = close.reason();
                LOG.warn("fanout client {}: the server closes the connection: {}", settings.name, close.reason());
                ctx.close();
            } else if (!(frame instanceof Frame.Heartbeat)) {
                LOG.warn("fanout client {}: unexpected {} frame; reconnecting", settings.name, frame.getClass().getSimpleName());
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.READER_IDLE) {
                    LOG.warn("fanout client {}: nothing from the server for 3 heartbeats; reconnecting", settings.name);
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable reason = FrameDecoder.cause(cause);
            if (reason instanceof BadFrameException) {
                LOG.warn("fanout client {}: bad frame from the server: {}", settings.name, reason.getMessage());
            } else {
                LOG.debug("fanout client {}: connection failed: {}", settings.name, reason.toString());
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (welcomed) {
                connected = new CountDownLatch(1);
            }
            welcomed = false;
            channel = null;
            retryLater();
        }
    }
}
