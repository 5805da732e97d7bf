package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checks on what reached Kafka: every event exactly (or at least) once, in order per aggregate. */
final class OutboxAssertions {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private OutboxAssertions() {
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static int seq(ConsumerRecord<String, String> r) {
        Matcher m = SEQ.matcher(r.value());
        assertThat(m.find()).as("payload %s has a seq", r.value()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Distinct event ids (duplicates carry the same id, so this counts events, not deliveries). */
    static Set<String> eventIds(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(header(r, "event_id")));
        return ids;
    }

    /**
     * Per aggregate (the key), the first delivery of each seq comes in seq order with no gap. Duplicates (a seq seen
     * before, with the same event id) are allowed only when {@code allowDuplicates}.
     */
    static void assertOrderedPerKey(List<ConsumerRecord<String, String>> records, boolean allowDuplicates) {
        Map<String, Integer> next = new HashMap<>();
        Map<String, String> eventIdOf = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            int seq = seq(r);
            String id = r.key() + "#" + seq;
            String eventId = header(r, "event_id");
            String seen = eventIdOf.putIfAbsent(id, eventId);
            if (seen != null) {
                assertThat(allowDuplicates).as("duplicate of %s", id).isTrue();
                assertThat(eventId).as("a duplicate carries the same event_id").isEqualTo(seen);
                continue;
            }
            int expected = next.getOrDefault(r.key(), 0);
            assertThat(seq).as("order of key %s", r.key()).isEqualTo(expected);
            next.put(r.key(), expected + 1);
        }
    }
}
