package dev.junction.dbsync;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the JSON body of POST and PUT into {@link FilmFields}, or says every field that is wrong. */
public final class CatalogueRequest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("title", "description", "year", "rating", "length");

    private CatalogueRequest() {
    }

    public static FilmFields parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException(List.of("body: a JSON object is required, e.g. {\"title\": \"The Sixth Sense\", \"year\": 1999}"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(List.of("body: not valid JSON (" + e.getOriginalMessage() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(List.of("body: must be a JSON object"));
        }
        List<String> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                errors.add(name + ": unknown field (known: title, description, year, rating, length)");
            }
        }
        String title = text(root, "title", errors);
        if (title == null && !errors.stream().anyMatch(e -> e.startsWith("title:"))) {
            errors.add("title: required");
        }
        String description = text(root, "description", errors);
        Integer year = integer(root, "year", errors);
        String rating = text(root, "rating", errors);
        Integer length = integer(root, "length", errors);
        if (errors.isEmpty()) {
            FilmFields fields = new FilmFields(title, description, year, rating, length);
            errors.addAll(FilmRules.violations(fields));
            if (errors.isEmpty()) {
                return fields;
            }
        }
        throw new InvalidRequestException(errors);
    }

    private static String text(JsonNode root, String name, List<String> errors) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            errors.add(name + ": must be a string");
            return null;
        }
        return n.textValue();
    }

    private static Integer integer(JsonNode root, String name, List<String> errors) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            errors.add(name + ": must be a whole number");
            return null;
        }
        return n.intValue();
    }
}
