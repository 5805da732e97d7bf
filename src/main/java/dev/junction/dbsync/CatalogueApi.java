package dev.junction.dbsync;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The catalogue REST API's operations (routes/catalogue-api.camel.yaml calls one method per verb). Answers: 201 with
 * Location on create, 200, 204 on delete; 400 with one message per wrong field; 404 for an unknown uuid; 412 when
 * If-Match names another version than the item's (its ETag); 413 for a body over {@code maxBodyBytes}.
 */
public final class CatalogueApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAGE_SIZE = 100;

    private final DbSync sync;
    private int maxBodyBytes = 65_536;

    public CatalogueApi(DbSync sync) {
        this.sync = sync;
    }

    public void create(Exchange exchange) throws SQLException, JsonProcessingException {
        Message in = exchange.getMessage();
        Optional<FilmFields> fields = fields(in);
        if (fields.isEmpty()) {
            return;
        }
        CatalogueItem item = sync.catalogue().create(fields.get());
        in.setHeader("Location", "/api/v1/catalogue/" + item.uuid());
        item(in, 201, item);
    }

    public void get(Exchange exchange) throws SQLException, JsonProcessingException {
        Message in = exchange.getMessage();
        String uuid = in.getHeader("uuid", String.class);
        Optional<CatalogueItem> item = sync.catalogue().find(uuid);
        if (item.isEmpty()) {
            notFound(in, uuid);
            return;
        }
        item(in, 200, item.get());
    }

    public void list(Exchange exchange) throws SQLException, JsonProcessingException {
        Message in = exchange.getMessage();
        String title = in.getHeader("title", String.class);
        Integer page = number(in, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        Integer size = number(in, "size", 20, 1, MAX_PAGE_SIZE);
        if (page == null || size == null) {
            return;
        }
        List<CatalogueItem> items = sync.catalogue().list(title == null || title.isEmpty() ? null : title, page, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("size", size);
        body.put("items", items.stream().map(CatalogueItem::toJson).toList());
        json(in, 200, body);
    }

    public void update(Exchange exchange) throws SQLException, JsonProcessingException {
        Message in = exchange.getMessage();
        String uuid = in.getHeader("uuid", String.class);
        Optional<Long> expected = ifMatch(in);
        if (expected == null) {
            return;
        }
        Optional<FilmFields> fields = fields(in);
        if (fields.isEmpty()) {
            return;
        }
        written(in, uuid, sync.catalogue().update(uuid, fields.get(), expected.orElse(null)));
    }

    public void delete(Exchange exchange) throws SQLException, JsonProcessingException {
        Message in = exchange.getMessage();
        String uuid = in.getHeader("uuid", String.class);
        Optional<Long> expected = ifMatch(in);
        if (expected == null) {
            return;
        }
        written(in, uuid, sync.catalogue().delete(uuid, expected.orElse(null)));
    }

    private void written(Message in, String uuid, CatalogueStore.WriteResult result) throws JsonProcessingException {
        switch (result.status()) {
            case NOT_FOUND -> notFound(in, uuid);
            case STALE -> error(in, 412, "the item is at version " + result.currentVersion()
                    + ", not the one If-Match names; GET it again and retry", List.of());
            case DONE -> {
                if (result.item() == null) {
                    in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
                    in.setBody(null);
                } else {
                    item(in, 200, result.item());
                }
            }
        }
    }

    /** The request's fields, or empty after answering 400 or 413. */
    private Optional<FilmFields> fields(Message in) throws JsonProcessingException {
        String body = in.getBody(String.class);
        if (body != null && body.length() > maxBodyBytes) {
            error(in, 413, "the body is over " + maxBodyBytes + " bytes", List.of());
            return Optional.empty();
        }
        try {
            return Optional.of(CatalogueRequest.parse(body));
        } catch (InvalidRequestException e) {
            error(in, 400, "invalid catalogue item", e.errors());
            return Optional.empty();
        }
    }

    /** The If-Match version (empty: none given), or null after answering 400. */
    private Optional<Long> ifMatch(Message in) throws JsonProcessingException {
        String value = in.getHeader("If-Match", String.class);
        if (value == null || value.isBlank() || value.trim().equals("*")) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            error(in, 400, "If-Match must be the item's ETag (its version), e.g. \"3\"", List.of());
            return null;
        }
    }

    private Integer number(Message in, String name, int defaultValue, int min, int max) throws JsonProcessingException {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        error(in, 400, name + " must be a whole number from " + min + " to " + max, List.of());
        return null;
    }

    private static void item(Message in, int status, CatalogueItem item) throws JsonProcessingException {
        in.setHeader("ETag", "\"" + item.version() + "\"");
        json(in, status, item.toJson());
    }

    private static void notFound(Message in, String uuid) throws JsonProcessingException {
        error(in, 404, "no catalogue item " + uuid, List.of());
    }

    private static void error(Message in, int status, String message, List<String> fieldErrors) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        if (!fieldErrors.isEmpty()) {
            body.put("fields", fieldErrors);
        }
        json(in, status, body);
    }

    private static void json(Message in, int status, Object body) throws JsonProcessingException {
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(JSON.writeValueAsString(body));
    }

    public int getMaxBodyBytes() { return maxBodyBytes; }
    public void setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
}
