package dev.junction.infra;

import dev.junction.config.JunctionConfig;

/**
 * Fills in {@code db.url}, {@code db.user} and {@code db.password}: the configured database (DB_URL) when set,
 * else the embedded PostgreSQL with a database named {@code junction}.
 */
public final class DatabaseSettings {

    public static final String EMBEDDED_DATABASE = "junction";

    private DatabaseSettings() {
    }

    public static JunctionConfig resolve(JunctionConfig config, Infrastructure infra) {
        if (config.find("db.url").isPresent()) {
            return config;
        }
        EmbeddedPostgres pg = infra.postgres();
        pg.createDatabase(EMBEDDED_DATABASE);
        return config.with("db.url", pg.jdbcUrl(EMBEDDED_DATABASE))
                .with("db.user", pg.user())
                .with("db.password", pg.password());
    }
}
