package dev.junction.fanout;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import dev.junction.fanout.protocol.FrameDecoder;
import dev.junction.fanout.protocol.FrameEncoder;
import dev.junction.support.JunctionException;
import dev.junction.support.TlsMaterial;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The TCP server clients connect to (epoll where the platform has it, NIO elsewhere). Every connection runs on one
 * event loop, the {@link Dispatcher}'s, so that choosing a client and tracking its acks need no locks.
 */
final class FanoutServer implements AutoCloseable {

    private static final FrameEncoder ENCODER = new FrameEncoder();


    private final FanoutConfiguration config;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup acceptor;
    private final EventLoopGroup connections;
    private Channel channel;

    FanoutServer(FanoutConfiguration config) {
        this.config = config;
        this.acceptor = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.connections = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    }

    /** Starts listening; {@code service} handles each new connection. */
    void bind(FanoutService service) {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int heartbeat = config.getHeartbeatMs();
        SslContext tls = config.isTls() ? serverTls(config) : null;
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, connections).channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Room for a burst of DELIVER frames per client before it counts as not reading.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                // Many DELIVERs written in one turn of the loop leave in one write system call.
                                .addLast(new FlushConsolidationHandler(256, true))
                                // Reads only: the dispatcher sends heartbeats on a timer, since watching writes
                                // would cost every DELIVER a promise and a listener.
                                .addLast(new IdleStateHandler(3L * heartbeat, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new FrameDecoder(config.getMaxClientFrameBytes()))
                                .addLast(ENCODER)
                                .addLast(new ClientConnection(service));
                    }
                });
        try {
            channel = bootstrap.bind(new InetSocketAddress(config.getHost(), config.getPort())).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            close();
            throw new JunctionException("the fanout server cannot listen on " + config.getHost() + ":" + config.getPort()
                    + " (" + e.getMessage() + "); set fanout.port (FANOUT_PORT) to a free port", e);
        }
    }

    private static SslContext serverTls(FanoutConfiguration config) {
        if (config.getTlsKeyFile() == null || config.getTlsKeyFile().isBlank()) {
            throw new JunctionException("fanout TLS needs a key for " + config.getTlsCertFile() + "; set fanout.tls-key-file");
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(TlsMaterial.keyStore(Path.of(config.getTlsCertFile()), Path.of(config.getTlsKeyFile()),
                            "fanout.tls-cert-file and fanout.tls-key-file"),
                    TlsMaterial.keyPassword());
            return SslContextBuilder.forServer(keys).build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new JunctionException("fanout cannot use the certificate " + config.getTlsCertFile() + ": " + e.getMessage()
                    + "; check fanout.tls-cert-file and fanout.tls-key-file", e);
        }
    }

    /** The loop every connection runs on. */
    EventLoop loop() {
        return connections.next();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        connections.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
