package dev.junction.dbsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a catalogue item must satisfy, for API requests and legacy rows alike. The limits are the legacy film
 * table's (Sakila): title VARCHAR(128), YEAR 1901-2155, the rating ENUM, length SMALLINT UNSIGNED.
 */
public final class FilmRules {

    public static final int MAX_TITLE = 128;
    public static final int MAX_DESCRIPTION = 65_535;
    public static final int MIN_YEAR = 1901;
    public static final int MAX_YEAR = 2155;
    public static final Set<String> RATINGS = Set.of("G", "PG", "PG-13", "R", "NC-17");

    private FilmRules() {
    }

    /** Every rule {@code f} breaks, one message each; empty when it is a valid item. */
    public static List<String> violations(FilmFields f) {
        List<String> errors = new ArrayList<>();
        if (f.title() == null) {
            errors.add("title: required");
        } else if (f.title().isBlank()) {
            errors.add("title: must not be blank");
        } else if (f.title().length() > MAX_TITLE) {
            errors.add("title: at most " + MAX_TITLE + " characters (got " + f.title().length() + ")");
        }
        if (f.description() != null && f.description().length() > MAX_DESCRIPTION) {
            errors.add("description: at most " + MAX_DESCRIPTION + " characters");
        }
        if (f.year() != null && (f.year() < MIN_YEAR || f.year() > MAX_YEAR)) {
            errors.add("year: must be between " + MIN_YEAR + " and " + MAX_YEAR + " (got " + f.year() + ")");
        }
        if (f.rating() != null && !RATINGS.contains(f.rating())) {
            errors.add("rating: must be one of G, PG, PG-13, R, NC-17 (got '" + f.rating() + "')");
        }
        if (f.length() != null && (f.length() < 1 || f.length() > 65_535)) {
            errors.add("length: must be between 1 and 65535 minutes (got " + f.length() + ")");
        }
        return errors;
    }
}
