package dev.junction.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.junction.infra.Ports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native server takes a request as complete at its content-length (not only at the FIN). A client that sends
 * more than it declared is refused, by Netty's HTTP/3 validation (a stream reset) or by the server (400), and the
 * route never sees the request; honest requests on the same connection go on. Sent with Netty's own HTTP/3 client,
 * as a client of another stack would.
 */
class NativeContentLengthTest {

    private static final String TOKEN = "length-token";

    @TempDir
    Path dir;

    @Test
    void aBodyLongerThanItsContentLengthIs400AndTheConnectionGoesOn() throws Exception {
        SelfSignedCertificates.Files3 certs = SelfSignedCertificates.generate(dir, "EC");
        int port = Ports.freePort();
        AtomicInteger routed = new AtomicInteger();
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("quic:localhost:" + port + "?certFile=" + certs.cert() + "&keyFile=" + certs.key() + "&token=" + TOKEN
                        + "&transport=native").process(e -> routed.incrementAndGet()).setBody(simple("${body.length}"));
            }
        });
        camel.start();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            QuicConfiguration config = new QuicConfiguration();
            config.setHost("localhost");
            config.setPort(port);
            config.setTrustCertFile(certs.cert().toString());
            Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new NativeSettings(config).apply(Http3.newQuicClientCodecBuilder()).sslContext(NativeTls.client(config)).build())
                    .bind(0).sync().channel();
            QuicChannel connection = QuicChannel.newBootstrap(socket).handler(new Http3ClientConnectionHandler())
                    .remoteAddress(new InetSocketAddress("localhost", port)).connect().get(10, TimeUnit.SECONDS);
            assertThat(status(connection, port, 5, 10)).as("10 bytes after content-length 5: reset (-1) or 400").isIn(-1, 400);
            assertThat(status(connection, port, 3, 3)).as("an honest request on the same connection").isEqualTo(200);
            assertThat(routed.get()).as("the route saw only the honest request").isEqualTo(1);
            connection.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            camel.stop();
        }
    }

    /** POSTs {@code bytes} bytes declared as {@code contentLength}; returns the answer's status, -1 for a reset stream. */
    private static int status(QuicChannel connection, int port, int contentLength, int bytes) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        QuicStreamChannel stream = Http3.newRequestStream(connection, new Http3RequestStreamInboundHandler() {
            @Override
            protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                status.complete(Integer.parseInt(frame.headers().status().toString()));
                ReferenceCountUtil.release(frame);
            }

            @Override
            protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                ReferenceCountUtil.release(frame);
            }

            @Override
            protected void channelInputClosed(ChannelHandlerContext ctx) {
                status.complete(-1); // no-op once a status came
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                status.complete(-1);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                status.complete(-1);
                ctx.close();
            }
        }).get(10, TimeUnit.SECONDS);
        Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
        head.headers().method("POST").path("/").scheme("https").authority("localhost:" + port)
                .set("authorization", BearerToken.header(TOKEN)).setInt("content-length", contentLength);
        stream.write(head);
        stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(new byte[bytes]))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        return status.get(10, TimeUnit.SECONDS);
    }
}
