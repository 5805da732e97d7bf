package dev.junction.glue.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.glue.network.GlueNetwork;
import dev.junction.glue.network.Inbound;
import dev.junction.glue.network.NetworkSettings;
import dev.junction.glue.wire.Datagram;
import dev.junction.glue.wire.DropReason;
import dev.junction.glue.wire.Frame;
import dev.junction.infra.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Four endpoints find each other on real UDP sockets, by multicast on loopback and through a rendezvous point; peers expire. */
class DiscoveryTest {

    private static final int RATE_MS = 100;
    private static final int MULTIPLIER = 5;
    private final List<AutoCloseable> started = new ArrayList<>();

    /** One endpoint: its sockets and its discovery, and the drops its network counted. */
    private record Endpoint(String name, GlueNetwork network, Discovery discovery, Map<DropReason, AtomicLong> drops) {
    }

    private Endpoint endpoint(String name, NetworkSettings settings) throws Exception {
        long instance = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Map<DropReason, AtomicLong> drops = new ConcurrentHashMap<>();
        Discovery[] discovery = new Discovery[1];
        GlueNetwork network = GlueNetwork.start(settings, instance, new Inbound() {
            @Override
            public void received(Datagram datagram, InetSocketAddress source, boolean isDiscovery) {
                if (isDiscovery && discovery[0] != null) {
                    discovery[0].received(datagram, source);
                }
            }

            @Override
            public void dropped(DropReason reason) {
                drops.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
            }
        });
        discovery[0] = new Discovery(network, instance, 1, name, RATE_MS, MULTIPLIER,
                () -> List.of(new Frame.Subscription("some_topic", "some_type")), new AtomicLong(), new PeerListener() {
                    @Override
                    public void joined(Peer peer) {
                    }

                    @Override
                    public void left(Peer peer) {
                    }
                });
        discovery[0].start();
        started.add(discovery[0]);
        started.add(network);
        return new Endpoint(name, network, discovery[0], drops);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private static InetSocketAddress loopbackPort(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void fourEndpointsFindEachOtherThroughARendezvousPointAndALeaverExpires() throws Exception {
        int rendezvousPort = Ports.freePort();
        InetSocketAddress unusedGroup = new InetSocketAddress("239.192.137.1", rendezvousPort);
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(endpoint("rendezvous", new NetworkSettings("net-a", null, loopbackPort(0), null, loopbackPort(rendezvousPort), null)));
        for (int i = 1; i < 4; i++) {
            endpoints.add(endpoint("e" + i, new NetworkSettings("net-a", null, loopbackPort(0), null, unusedGroup,
                    loopbackPort(rendezvousPort))));
        }
        awaitEveryoneSeesTheOthers(endpoints);
        Endpoint leaver = endpoints.remove(3);
        leaver.discovery().close();
        leaver.network().close();
        started.remove(leaver.discovery());
        started.remove(leaver.network());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Endpoint e : endpoints) {
                assertThat(e.discovery().peers()).extracting(Peer::name).doesNotContain(leaver.name());
            }
        });
        for (Endpoint e : endpoints) {
            assertThat(e.discovery().nameConflict()).isNull();
        }
    }

    @Test
    void fourEndpointsFindEachOtherByMulticastOnLoopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        Assumptions.assumeTrue(lo != null, "no loopback interface named lo");
        if (!lo.supportsMulticast() && "root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("ip", "link", "set", "lo", "multicast", "on").inheritIO().start().waitFor();
            lo = NetworkInterface.getByName("lo");
        }
        Assumptions.assumeTrue(lo.supportsMulticast(), "multicast on lo needs its MULTICAST flag (ip link set lo multicast on, as root)");
        InetSocketAddress group = new InetSocketAddress("239.192.137.7", Ports.freePort());
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            endpoints.add(endpoint("m" + i, new NetworkSettings("net-m", null, loopbackPort(0), lo, group, group)));
        }
        awaitEveryoneSeesTheOthers(endpoints);
        // Each hears its own announcements too (the loop back of multicast), and drops them.
        for (Endpoint e : endpoints) {
            assertThat(e.drops().get(DropReason.OWN)).isNotNull();
        }
        // Another network on the same group is heard and dropped, never mixed in.
        Endpoint stranger = endpoint("stranger", new NetworkSettings("net-other", null, loopbackPort(0), lo, group, group));
        await().atMost(Duration.ofSeconds(5)).until(() -> stranger.drops().containsKey(DropReason.OTHER_NETWORK));
        for (Endpoint e : endpoints) {
            assertThat(e.discovery().peers()).extracting(Peer::name).doesNotContain("stranger");
        }
    }

    @Test
    void twoEndpointsWithOneNameOnOneNetworkAreAClearError() throws Exception {
        int port = Ports.freePort();
        Endpoint first = endpoint("twin", new NetworkSettings("net-t", null, loopbackPort(0), null, loopbackPort(port), null));
        Endpoint second = endpoint("twin", new NetworkSettings("net-t", null, loopbackPort(0), null,
                new InetSocketAddress("239.192.137.1", port), loopbackPort(port)));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.discovery().nameConflict() != null && second.discovery().nameConflict() != null);
    }

    private static void awaitEveryoneSeesTheOthers(List<Endpoint> endpoints) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Endpoint e : endpoints) {
                List<String> others = endpoints.stream().filter(o -> o != e).map(Endpoint::name).toList();
                assertThat(e.discovery().peers()).as("peers of %s", e.name()).extracting(Peer::name)
                        .containsExactlyInAnyOrderElementsOf(others);
                for (Peer p : e.discovery().peers()) {
                    Endpoint other = endpoints.stream().filter(o -> o.name().equals(p.name())).findFirst().orElseThrow();
                    assertThat(p.dataAddress().getPort()).as("data port of %s", p.name()).isEqualTo(other.network().dataPort());
                    assertThat(p.subscribes("some_topic", "some_type")).isTrue();
                }
            }
        });
    }
}
