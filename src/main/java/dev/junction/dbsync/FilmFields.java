package dev.junction.dbsync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns the catalogue and the legacy {@code film} table share: what db-sync copies between them. Two changes
 * with equal fields are the same content; a change that touches only other legacy columns is not a change here.
 */
public record FilmFields(String title, String description, Integer year, String rating, Integer length) {

    /** The fields of a Kafka event's JSON (as {@link #toJson} wrote them); a value of the wrong type throws. */
    public static FilmFields fromJson(Map<String, Object> json) {
        return new FilmFields((String) json.get("title"), (String) json.get("description"), integer(json.get("year")),
                (String) json.get("rating"), integer(json.get("length")));
    }

    private static Integer integer(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    /** The API's and the Kafka events' JSON names (the original's: title, year). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        json.put("description", description);
        json.put("year", year);
        json.put("rating", rating);
        json.put("length", length);
        return json;
    }
}
