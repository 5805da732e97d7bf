package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import dev.junction.fanout.protocol.Frame;
import dev.junction.fanout.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Raw sockets that break the protocol: each is closed with a CLOSE naming the reason, while a well-behaved client
 * keeps receiving, and every record is acknowledged exactly once by the client it was delivered to.
 */
class FanoutBadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void connectionsThatBreakTheProtocolAreClosedWithAReasonAndHarmNoOne() throws Exception {
        try (FanoutFixture fanout = new FanoutFixture(2, Map.of())) {
            fanout.ackingClient("good", "");
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
            fanout.produce(1000);

            assertThat(closeReason(fanout.port, frame(new byte[] {42}))).contains("unknown frame type 42");
            assertThat(closeReason(fanout.port, rawLength(100_000_000))).contains("frame of 100000000 bytes");
            assertThat(closeReason(fanout.port, rawLength(-5))).contains("frame of -5 bytes");
            assertThat(closeReason(fanout.port, frame(new byte[] {1, 1, 0, 50}))).contains("truncated frame");
            assertThat(closeReason(fanout.port, encode(new Frame.Ack(1)))).contains("ACK before HELLO");
            assertThat(closeReason(fanout.port, concat(hello("liar"), encode(new Frame.Ack(123_456_789)))))
                    .contains("ACK for delivery 123456789, which is not in flight at this client");
            assertThat(closeReason(fanout.port, encode(new Frame.Hello(FrameCodec.VERSION, "greedy", "", 1_000_000, ""))))
                    .contains("max in flight 1000000");
            assertThat(closeReason(fanout.port, encode(new Frame.Hello(99, "future", "", 10, "")))).contains("protocol version 99");
            assertThat(closeReason(fanout.port, concat(hello("server-wannabe"),
                    encode(new Frame.Welcome("x", 1, 1))))).contains("a client does not send WELCOME");

            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 1000);
            assertThat(fanout.acked).hasSize(1000).allSatisfy(g -> assertThat(g.client()).isEqualTo("good"));
            assertThat(fanout.service().protocolErrors()).isGreaterThanOrEqualTo(9);
            assertThat(fanout.service().connectedClients()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffAndWhatItHeldGoesToTheOthers() throws Exception {
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("camel.component.fanout.ackTimeoutMs", "1000"))) {
            await().atMost(WAIT).until(() -> fanout.service().isLeader()); // before, a HELLO is redirected
            Socket stuck = new Socket("localhost", fanout.port);
            // It asks for many records, then never reads a byte nor acks one.
            stuck.getOutputStream().write(encode(new Frame.Hello(FrameCodec.VERSION, "stuck", "", 1000, "")));
            await().atMost(WAIT).until(() -> fanout.service().connectedClients() == 1);
            fanout.produce(3000);
            await().atMost(WAIT).until(() -> fanout.service().inFlight() > 0);
            fanout.ackingClient("good", "");
            await().atMost(WAIT).until(() -> fanout.ackedValues().size() == 3000);
            assertThat(fanout.acked).hasSize(3000);
            assertThat(fanout.service().protocolErrors()).isEqualTo(1); // the stuck one, cut off after the ack timeout
            assertThat(fanout.service().connectedClients()).isEqualTo(1);
            stuck.close();
        }
    }

    @Test
    void aTokenIsRequiredWhenOneIsSet() throws Exception {
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("fanout.token", "s3cret"))) {
            await().atMost(WAIT).until(() -> fanout.service().isLeader());
            assertThat(closeReason(fanout.port, encode(new Frame.Hello(FrameCodec.VERSION, "anon", "", 10, "wrong"))))
                    .contains("the token is missing or wrong");
            var client = fanout.client("insider", "", 10, r -> r.ack());
            assertThat(client.awaitConnected(Duration.ofSeconds(3))).isFalse(); // its builder has no token
            var trusted = dev.junction.fanout.client.FanoutClient.builder().servers("localhost:" + fanout.port)
                    .name("trusted").token("s3cret").handler(r -> r.ack()).start();
            try {
                assertThat(trusted.awaitConnected(WAIT)).isTrue();
            } finally {
                trusted.close();
            }
        }
    }

    /** Sends {@code bytes}, then reads frames until the server's CLOSE (its reason) or the end of the stream. */
    private static String closeReason(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            new DataOutputStream(socket.getOutputStream()).write(bytes);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return "(closed without CLOSE)";
                }
                byte[] body = new byte[length];
                in.readFully(body);
                Frame frame = FrameCodec.read(Unpooled.wrappedBuffer(body));
                if (frame instanceof Frame.Close close) {
                    return close.reason();
                }
            }
        }
    }

    private static byte[] hello(String name) {
        return encode(new Frame.Hello(FrameCodec.VERSION, name, "", 10, ""));
    }

    private static byte[] encode(Frame frame) {
        ByteBuf body = Unpooled.buffer();
        FrameCodec.write(frame, body);
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        return frame(bytes);
    }

    private static byte[] frame(byte[] body) {
        return concat(rawLength(body.length), body);
    }

    private static byte[] rawLength(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
