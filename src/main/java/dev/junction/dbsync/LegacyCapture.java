package dev.junction.dbsync;

import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns one Debezium change of the legacy film table (a {@code debezium-mysql:} exchange) into the
 * {@link LegacyChange} JSON of the legacy topic, keyed by uuid. Leaves the body null, for the route to drop, for
 * heartbeats, other tables, and updates that changed no column the catalogue carries.
 */
public final class LegacyCapture {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DbSync sync;

    public LegacyCapture(DbSync sync) {
        this.sync = sync;
    }

    public void toLegacyTopic(Exchange exchange) throws JsonProcessingException {
        String identifier = exchange.getMessage().getHeader("CamelDebeziumIdentifier", String.class);
        Object after = exchange.getMessage().getBody();
        Object before = exchange.getMessage().getHeader("CamelDebeziumBefore");
        String operation = exchange.getMessage().getHeader("CamelDebeziumOperation", String.class);
        exchange.getMessage().setBody(null);
        if (identifier == null || !identifier.endsWith(".film") || operation == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> source = exchange.getMessage().getHeader("CamelDebeziumSourceMetadata", Map.class);
        Object committedAt = source == null ? null : source.get("ts_ms");
        long committedAtMs = committedAt instanceof Number n ? n.longValue() : System.currentTimeMillis();
        sync.metrics().cdcLag(System.currentTimeMillis() - committedAtMs);
        OptionalLong echoOf = SyncMarker.versionIn(source == null ? null : (String) source.get("query"));
        LegacyChange change;
        if ("d".equals(operation)) {
            change = new LegacyChange(uuid(before), null, true, echoOf, committedAtMs);
        } else {
            FilmFields fields = fields((Struct) after);
            if ("u".equals(operation) && echoOf.isEmpty() && before instanceof Struct b
                    && fields.equals(fields(b)) && uuid(b).equals(uuid(after))) {
                sync.metrics().ignoredLegacyChange();
                return;
            }
            change = new LegacyChange(uuid(after), fields, false, echoOf, committedAtMs);
        }
        exchange.getMessage().setHeader(KafkaConstants.KEY, change.uuid());
        exchange.getMessage().setBody(JSON.writeValueAsString(change.toJson()));
    }

    private static String uuid(Object row) {
        return ((Struct) row).getString("uuid");
    }

    private static FilmFields fields(Struct row) {
        return new FilmFields(row.getString("title"), row.getString("description"), integer(row.get("release_year")),
                row.getString("rating"), integer(row.get("length")));
    }

    private static Integer integer(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }
}
