package dev.junction.dbsync;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin marker of db-sync's own writes to the legacy database: a comment at the head of each statement,
 * {@code /* junction-db-sync version=N *\/}, N being the catalogue version the statement carries. The binlog keeps
 * each statement's text beside its row events (MariaDB {@code binlog_annotate_row_events}, MySQL
 * {@code binlog_rows_query_log_events}), Debezium passes it on as {@code source.query} ({@code include.query}),
 * so a change that db-sync made is known as such when it comes back, and is never taken for a new change.
 */
public final class SyncMarker {

    private static final Pattern MARKER = Pattern.compile("/\\* junction-db-sync version=(\\d+) \\*/");

    private SyncMarker() {
    }

    public static String comment(long version) {
        return "/* junction-db-sync version=" + version + " */ ";
    }

    /** The version in the marker of {@code query}, or empty when the statement was not db-sync's. */
    public static OptionalLong versionIn(String query) {
        if (query == null) {
            return OptionalLong.empty();
        }
        Matcher m = MARKER.matcher(query);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
