package dev.junction.dbsync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of the catalogue as the API shows it; {@code version} is its ETag (If-Match on PUT and DELETE). */
public record CatalogueItem(String uuid, FilmFields fields, long version, Instant updatedAt) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", uuid);
        json.putAll(fields.toJson());
        json.put("version", version);
        json.put("updatedAt", updatedAt.toString());
        return json;
    }
}
