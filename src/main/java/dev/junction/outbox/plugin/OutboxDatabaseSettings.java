package dev.junction.outbox.plugin;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.EmbeddedPostgres;
import dev.junction.infra.Infrastructure;

/**
 * Fills in {@code db.url}, {@code db.user} and {@code db.password}: the configured database (DB_URL) when set,
 * else the embedded PostgreSQL with a database named {@code junction}.
 */
final class OutboxDatabaseSettings {

    static final String EMBEDDED_DATABASE = "junction";

    private OutboxDatabaseSettings() {
    }

    static boolean configured(JunctionConfig config) {
        return config.find("db.url").isPresent();
    }

    static JunctionConfig resolve(JunctionConfig config, Infrastructure infra) {
        if (configured(config)) {
            return config;
        }
        EmbeddedPostgres pg = infra.postgres();
        pg.createDatabase(EMBEDDED_DATABASE);
        return config.with("db.url", pg.jdbcUrl(EMBEDDED_DATABASE))
                .with("db.user", pg.user())
                .with("db.password", pg.password());
    }
}
