package dev.junction.glue.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The model layer on its own: the hybrid logical clock, last-writer-wins convergence, the state codec. */
class ModelTest {

    @Test
    void theClockNeverGoesBackAndIsAlwaysPastWhatItHasSeen() {
        AtomicLong wall = new AtomicLong(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        long a = clock.now();
        long b = clock.now(); // same millisecond: the counter moves
        assertThat(b).isGreaterThan(a);
        wall.set(900); // the wall clock steps back
        long c = clock.now();
        assertThat(c).isGreaterThan(b);
        // A timestamp from an endpoint whose clock is far ahead: everything after it here is later still.
        long theirs = (5_000L << 16) | 7;
        clock.observe(theirs);
        assertThat(clock.now()).isGreaterThan(theirs);
        assertThat(HybridLogicalClock.millisOf(clock.now())).isEqualTo(5_000);
        wall.set(6_000); // the wall clock catches up: timestamps follow it again
        assertThat(HybridLogicalClock.millisOf(clock.now())).isEqualTo(6_000);
    }

    @Test
    void everyOrderOfTheSameWritesGivesTheSameState() {
        Random random = new Random(11);
        List<StateEntry> writes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String key = "k" + random.nextInt(50);
            byte[] value = random.nextInt(10) == 0 ? null : ("v" + i).getBytes(StandardCharsets.UTF_8);
            // Ties on purpose: a few timestamps repeat, the writer breaks them.
            writes.add(new StateEntry(key, value, random.nextInt(500), random.nextInt(3)));
        }
        ReplicatedState reference = new ReplicatedState();
        writes.forEach(reference::apply);
        for (int round = 0; round < 5; round++) {
            List<StateEntry> shuffled = new ArrayList<>(writes);
            Collections.shuffle(shuffled, random);
            ReplicatedState other = new ReplicatedState();
            shuffled.forEach(other::apply);
            assertThat(keyValues(other)).isEqualTo(keyValues(reference));
        }
        // An older write arriving late does not bring a removed key back.
        ReplicatedState s = new ReplicatedState();
        s.apply(new StateEntry("gone", null, 20, 1));
        assertThat(s.apply(new StateEntry("gone", new byte[] {1}, 10, 1))).isFalse();
        assertThat(s.get("gone")).isNull();
    }

    private static List<String> keyValues(ReplicatedState state) {
        List<String> out = new ArrayList<>();
        for (StateEntry e : state.snapshot()) {
            out.add(e.key() + "=" + (e.value() == null ? "-" : new String(e.value(), StandardCharsets.UTF_8)) + "@" + e.timestamp());
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void theCodecRoundTripsAndRefusesBadPayloadsWithoutAllocatingWhatTheyClaim() {
        List<StateEntry> writes = List.of(new StateEntry("a", "1".getBytes(StandardCharsets.UTF_8), 5, 9),
                new StateEntry("ключ", null, 6, 9), new StateEntry("empty", new byte[0], 7, 9));
        byte[] encoded = StateCodec.encode(writes);
        List<StateEntry> back = StateCodec.decode(encoded);
        assertThat(back).hasSize(3);
        assertThat(back.get(1).key()).isEqualTo("ключ");
        assertThat(back.get(1).removed()).isTrue();
        assertThat(back.get(2).value()).isEmpty();
        for (int cut = 0; cut < encoded.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(encoded, cut);
            assertThatThrownBy(() -> StateCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] huge = java.nio.ByteBuffer.allocate(9).put((byte) 1).putInt(Integer.MAX_VALUE).array();
        assertThatThrownBy(() -> StateCodec.decode(huge)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims");
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            try {
                StateCodec.decode(noise);
            } catch (IllegalArgumentException expected) {
                // refused, as it should be; anything else fails the test
            }
        }
    }
}
