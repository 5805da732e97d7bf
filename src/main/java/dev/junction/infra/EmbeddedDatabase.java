package dev.junction.infra;

/** A real database server started by Junction itself: where to reach it and how to make a database of one's own. */
public interface EmbeddedDatabase extends AutoCloseable {

    /** JDBC URL of {@code database} on this server. */
    String jdbcUrl(String database);

    String user();

    String password();

    /** Creates {@code database} if it does not exist yet. */
    void createDatabase(String database);

    @Override
    void close();
}
