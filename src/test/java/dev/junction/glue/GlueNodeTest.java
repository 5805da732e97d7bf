package dev.junction.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.glue.topics.GlueMessage;
import dev.junction.infra.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One publisher and three subscribers, each a whole endpoint on real sockets, finding each other through a
 * rendezvous point as the original's README runs them: every message to every subscriber once, in order; a 1 MB
 * message whole; a late joiner gets the latest unexpired message of its topic, and not an expired one.
 */
class GlueNodeTest {

    private final List<GlueNode> started = new ArrayList<>();
    private final int rendezvousPort = Ports.freePort();

    private GlueNode endpoint(String name, boolean rendezvous) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("GLUE_NETWORK_ID", "test-" + rendezvousPort);
        env.put("GLUE_ENDPOINT_NAME", name);
        env.put("GLUE_LISTEN_ADDRESS", "127.0.0.1:0");
        env.put("GLUE_DISCOVERY_RATE_MILLISECONDS", "100");
        env.put("GLUE_DISCOVERY_LISTEN_ADDRESS", "127.0.0.1:" + rendezvousPort);
        env.put("GLUE_DISCOVERY_TARGET_ADDRESS", rendezvous ? "0" : "127.0.0.1:" + rendezvousPort);
        GlueNode e = GlueNode.start(GlueSettings.from(env));
        started.add(e);
        return e;
    }

    @AfterEach
    void stop() {
        started.forEach(GlueNode::close);
    }

    @Test
    void everySubscriberGetsEveryMessageOnceInOrderAndLateJoinersTheLatest() throws Exception {
        GlueNode publisher = endpoint("publisher", true);
        List<List<GlueMessage>> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<GlueMessage> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            GlueNode s = endpoint("subscriber-" + i, false);
            s.subscribe("some_topic", "some_type", mine::add);
            s.subscribe("files", "blob", mine::add);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.peers().stream()
                .filter(p -> p.subscribes("some_topic", "some_type")).count() == 3);
        for (int i = 0; i < 1_000; i++) {
            assertThat(publisher.publish("some_topic", "some_type", Duration.ofSeconds(30), ("hello " + i).getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(3);
        }
        byte[] big = new byte[1024 * 1024];
        new Random(3).nextBytes(big);
        publisher.publish("files", "blob", null, big);
        await().atMost(Duration.ofSeconds(30)).until(() -> got.stream().allMatch(l -> l.size() == 1_001));
        for (List<GlueMessage> mine : got) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(new String(mine.get(i).payload(), StandardCharsets.UTF_8)).isEqualTo("hello " + i);
                assertThat(mine.get(i).endpointName()).isEqualTo("publisher");
            }
            assertThat(mine.get(1_000).payload()).isEqualTo(big);
        }

        // A message that expires soon, on a topic of its own; once it has expired a late joiner must not get it.
        long expiresAt = System.currentTimeMillis() + 200;
        publisher.publish("short", "lived", Duration.ofMillis(200), "gone soon".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiresAt);
        List<GlueMessage> late = new CopyOnWriteArrayList<>();
        GlueNode joiner = endpoint("late-joiner", false);
        joiner.subscribe("some_topic", "some_type", late::add);
        joiner.subscribe("short", "lived", late::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> !late.isEmpty());
        // And nothing else comes for a while (the expired message would come with the latest one, at the join).
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> late.size() == 1);
        assertThat(late).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8)).as("only the latest, unexpired")
                .containsExactly("hello 999");
    }
}
