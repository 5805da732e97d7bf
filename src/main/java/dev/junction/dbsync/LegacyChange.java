package dev.junction.dbsync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A change of one legacy film as it travels on the legacy topic (key: the uuid): its shared fields after the change
 * (null for a delete), the catalogue version when db-sync itself made the change ({@code echoOf}), and the commit time.
 */
public record LegacyChange(String uuid, FilmFields fields, boolean deleted, OptionalLong echoOf, long committedAtMs) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", uuid);
        json.put("deleted", deleted);
        if (fields != null) {
            json.putAll(fields.toJson());
        }
        json.put("echoOf", echoOf.isPresent() ? echoOf.getAsLong() : null);
        json.put("committedAtMs", committedAtMs);
        return json;
    }

    public static LegacyChange fromJson(Map<String, Object> json) {
        boolean deleted = Boolean.TRUE.equals(json.get("deleted"));
        FilmFields fields = deleted ? null : FilmFields.fromJson(json);
        Object echo = json.get("echoOf");
        return new LegacyChange(string(json.get("uuid")), fields, deleted,
                echo == null ? OptionalLong.empty() : OptionalLong.of(((Number) echo).longValue()),
                ((Number) json.getOrDefault("committedAtMs", 0L)).longValue());
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
