package dev.junction.dbsync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change made through the API, as the outbox relay publishes it on the catalogue topic (key: the uuid): the item's
 * fields after the change (null for a delete) and the catalogue version it made.
 */
public record CatalogueChange(String uuid, FilmFields fields, boolean deleted, long version) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", uuid);
        json.put("version", version);
        json.put("deleted", deleted);
        if (fields != null) {
            json.putAll(fields.toJson());
        }
        return json;
    }

    public static CatalogueChange fromJson(Map<String, Object> json) {
        boolean deleted = Boolean.TRUE.equals(json.get("deleted"));
        FilmFields fields = deleted ? null : FilmFields.fromJson(json);
        return new CatalogueChange((String) json.get("uuid"), fields, deleted, ((Number) json.get("version")).longValue());
    }
}
