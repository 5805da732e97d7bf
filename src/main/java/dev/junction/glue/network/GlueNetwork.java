package dev.junction.glue.network;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.junction.glue.wire.BadDatagramException;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DatagramCodec;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.ReplayWindow;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's two UDP sockets. Received datagrams are decoded on the socket's event-loop thread; own datagrams
 * (multicast loops back), and with a network key replayed ones, are dropped too. Sends may come from any thread.
 */
public final class GlueNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GlueNetwork.class);
    /** Largest datagram read: an IPv4 UDP payload. */
    public static final int MAX_DATAGRAM = 65_507;
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    private final NetworkSettings settings;
    private final long instance;
    private final Inbound inbound;
    private final EventLoopGroup group;
    private final ThreadLocal<DatagramCodec> codecs;
    private final Map<Long, ReplayWindow> replayWindows = new ConcurrentHashMap<>();
    private final Channel data;
    private final Channel discovery;

    private GlueNetwork(NetworkSettings settings, long instance, Inbound inbound) throws InterruptedException {
        this.settings = settings;
        this.instance = instance;
        this.inbound = inbound;
        this.codecs = ThreadLocal.withInitial(() -> new DatagramCodec(settings.networkId(), settings.networkKey()));
        this.group = Epoll.isAvailable() ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        try {
            this.data = bind(settings.dataListen(), false);
            this.discovery = bind(discoveryBindAddress(), true);
            if (settings.discoveryListen().getAddress().isMulticastAddress() && (settings.multicast() || settings.rendezvousPoint())) {
                join();
            }
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Binds both sockets; datagrams go to {@code inbound}. {@code instance}: this endpoint's id on the wire. */
    public static GlueNetwork start(NetworkSettings settings, long instance, Inbound inbound) throws InterruptedException {
        return new GlueNetwork(settings, instance, inbound);
    }

    /**
     * Multicast discovery listens on the group's port on every address; a rendezvous point on the listen port
     * (the group's port when the listen address is a group); any other endpoint of unicast discovery on a port of
     * its own, where the rendezvous point's answers come back.
     */
    private InetSocketAddress discoveryBindAddress() {
        InetSocketAddress listen = settings.discoveryListen();
        if (settings.multicast() || settings.rendezvousPoint()) {
            return listen.getAddress().isMulticastAddress() ? new InetSocketAddress(listen.getPort()) : listen;
        }
        return new InetSocketAddress(0);
    }

    private Channel bind(InetSocketAddress address, boolean isDiscovery) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.SO_REUSEADDR, isDiscovery)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new Decoder(isDiscovery));
        // IPv4 sockets: on a dual-stack socket the IPv4 multicast interface and group membership do not apply.
        if (Epoll.isAvailable()) {
            b.channelFactory(() -> new EpollDatagramChannel(InternetProtocolFamily.IPv4));
        } else {
            b.channelFactory(() -> new NioDatagramChannel(InternetProtocolFamily.IPv4));
        }
        if (settings.networkInterface() != null) {
            b.option(ChannelOption.IP_MULTICAST_IF, settings.networkInterface());
        }
        b.option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false);
        return b.bind(address).sync().channel();
    }

    private void join() throws InterruptedException {
        InetSocketAddress group = settings.discoveryListen();
        DatagramChannel channel = (DatagramChannel) discovery;
        if (settings.networkInterface() != null) {
            channel.joinGroup(group, settings.networkInterface()).sync();
        } else {
            channel.joinGroup(group.getAddress()).sync();
        }
        LOG.info("glue: discovery on multicast group {} ({})", group,
                settings.networkInterface() == null ? "default interface" : settings.networkInterface().getName());
    }

    /** The port datagrams to this endpoint go to. */
    public int dataPort() {
        return ((InetSocketAddress) data.localAddress()).getPort();
    }

    /** Bytes a datagram of this network takes besides its frames (header and trailer). */
    public int overhead() {
        return codecs.get().overhead();
    }

    /** Where the discovery socket is bound. */
    public InetSocketAddress discoveryAddress() {
        return (InetSocketAddress) discovery.localAddress();
    }

    public NetworkSettings settings() {
        return settings;
    }

    /** Sends {@code datagram} from the data socket. */
    public void sendData(InetSocketAddress to, Datagram datagram) {
        send(data, to, datagram);
    }

    /**
     * Queues {@code datagram} on the data socket without sending it yet: {@link #flushData} sends all that is queued,
     * in one system call where the transport can (sendmmsg with epoll). Call both on {@link #eventLoop()}.
     */
    public void writeData(InetSocketAddress to, Datagram datagram) {
        // Encoded straight into a pooled direct buffer: the bytes are written once, not copied into one by Netty.
        DatagramCodec codec = codecs.get();
        int length = codec.length(datagram);
        ByteBuf buffer = data.alloc().directBuffer(length);
        codec.encode(datagram, buffer.nioBuffer(0, length));
        buffer.writerIndex(length);
        datagramsOut.increment();
        bytesOut.add(length);
        data.write(new DatagramPacket(buffer, to), data.voidPromise());
    }

    public void flushData() {
        data.flush();
    }

    /** The thread both sockets are served on: work scheduled here runs between reads, without a hand-off. */
    public EventLoop eventLoop() {
        return data.eventLoop();
    }

    /** Sends {@code datagram} from the discovery socket (announcements). */
    public void sendDiscovery(InetSocketAddress to, Datagram datagram) {
        send(discovery, to, datagram);
    }

    private void send(Channel channel, InetSocketAddress to, Datagram datagram) {
        byte[] bytes = codecs.get().encode(datagram);
        datagramsOut.increment();
        bytesOut.add(bytes.length);
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to));
    }

    /** Datagrams received on both sockets (dropped ones too). */
    public long datagramsIn() {
        return datagramsIn.sum();
    }

    /** Datagrams that decoded but failed in the layers above (a bug: each is logged at WARN). */
    public long handlerErrors() {
        return handlerErrors.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Datagrams sent from both sockets. */
    public long datagramsOut() {
        return datagramsOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Forgets a peer instance's replay window (it expired). */
    public void forget(long peerInstance) {
        replayWindows.remove(peerInstance);
    }

    @Override
    public void close() {
        data.close();
        discovery.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Decodes, checks and hands on each datagram of one socket. */
    private final class Decoder extends SimpleChannelInboundHandler<DatagramPacket> {

        private final boolean isDiscovery;

        Decoder(boolean isDiscovery) {
            this.isDiscovery = isDiscovery;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            datagramsIn.increment();
            bytesIn.add(content.readableBytes());
            Datagram datagram;
            try {
                // Read in place (the codec copies out only the payloads it keeps).
                datagram = codecs.get().decode(content.nioBuffer());
            } catch (BadDatagramException e) {
                LOG.debug("glue: dropped a datagram from {}: {} ({})", packet.sender(), e.reason().tag(), e.getMessage());
                inbound.dropped(e.reason());
                return;
            }
            if (datagram.sender() == instance) {
                inbound.dropped(DropReason.OWN);
                return;
            }
            if (settings.networkKey() != null && settings.networkKey().length > 0
                    && !replayWindows.computeIfAbsent(datagram.sender(), s -> new ReplayWindow()).accept(datagram.packetNumber())) {
                inbound.dropped(DropReason.REPLAYED);
                return;
            }
            try {
                inbound.received(datagram, packet.sender(), isDiscovery);
            } catch (RuntimeException e) {
                handlerErrors.increment();
                LOG.warn("glue: a datagram from {} could not be handled: {}", packet.sender(), e.toString(), e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("glue: socket error: {}", cause.toString());
        }
    }
}
