package dev.junction.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** With orderByKey, a key is never at two clients at once and its records are acknowledged in offset order. */
class FanoutKeyOrderTest {

    @Test
    void aKeyIsNeverAtTwoClientsAtOnceAndGoesOutInOffsetOrder() {
        Set<String> keysOut = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledExecutorService slowAcks = Executors.newScheduledThreadPool(2);
        Random random = new Random(7);
        try (FanoutFixture fanout = new FanoutFixture(1, Map.of("fanout.order-by-key", "true"))) {
            for (String name : new String[] {"a", "b", "c"}) {
                fanout.client(name, "", 20, record -> {
                    FanoutFixture.Got got = FanoutFixture.got(name, record);
                    if (!keysOut.add(got.key())) {
                        overlaps.add(got.key() + "@" + got.offset());
                    }
                    // Acks come late and out of order across keys, as from real workers.
                    slowAcks.schedule(() -> {
                        keysOut.remove(got.key());
                        fanout.acked.add(got);
                        record.ack();
                    }, random.nextInt(5), TimeUnit.MILLISECONDS);
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> fanout.service().connectedClients() == 3);
            fanout.produce(1500, n -> "key-" + (n % 10));
            await().atMost(Duration.ofSeconds(120)).until(() -> fanout.ackedValues().size() == 1500);

            assertThat(overlaps).isEmpty();
            Map<String, List<Long>> offsetsByKey = fanout.acked.stream().collect(Collectors.groupingBy(
                    FanoutFixture.Got::key, Collectors.mapping(FanoutFixture.Got::offset, Collectors.toList())));
            offsetsByKey.forEach((key, offsets) -> assertThat(offsets).as(key).isSorted());
            assertThat(new ArrayList<>(offsetsByKey.keySet())).hasSize(10);
        } finally {
            slowAcks.shutdownNow();
        }
    }
}
