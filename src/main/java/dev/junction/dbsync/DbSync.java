package dev.junction.dbsync;

import java.sql.SQLException;

import dev.junction.outbox.OutboxConfiguration;
import dev.junction.outbox.OutboxMaintenance;
import dev.junction.support.JunctionException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * What db-sync's routes share: the two databases, the meters, the health check, and when CDC last emitted. One bean
 * ({@code dbSync} in routes/db-sync.camel.yaml) that the API and the appliers are given. {@code start} creates the
 * catalogue's tables when missing (they are the microservice's own) and checks that the legacy film table has
 * db-sync's uuid column; it never changes a legacy table.
 */
public class DbSync implements CamelContextAware {

    private CamelContext camelContext;
    private boolean enabled = true;
    private String catalogueUrl;
    private String catalogueUser;
    private String cataloguePassword;
    private String catalogueOutboxTable = "catalogue_outbox";
    private String catalogueTopic = "db-sync.catalogue";
    private String legacyUrl;
    private String legacyUser;
    private String legacyPassword;
    private int legacyLanguageId = 1;
    private String cdcName = "legacy";
    private String legacyOffsetsFile = "legacy-offsets.dat";

    private CatalogueStore catalogue;
    private LegacyFilms legacy;
    private DbSyncMetrics metrics;
    private DbSyncHealthCheck health;

    public void start() {
        if (!enabled) {
            // The routes are off (db-sync.enabled=false): nothing to connect to.
            return;
        }
        if (catalogueUrl == null || catalogueUrl.isBlank()) {
            throw new JunctionException("db-sync has no catalogue database; set DB_SYNC_CATALOGUE_URL (db-sync.catalogue.url)");
        }
        if (legacyUrl == null || legacyUrl.isBlank()) {
            throw new JunctionException("db-sync has no legacy database; set DB_SYNC_LEGACY_HOST, DB_SYNC_LEGACY_PORT and DB_SYNC_LEGACY_DATABASE");
        }
        catalogue = new CatalogueStore(catalogueUrl, catalogueUser, cataloguePassword, catalogueOutboxTable, catalogueTopic);
        legacy = new LegacyFilms(legacyUrl, legacyUser, legacyPassword, legacyLanguageId);
        try {
            catalogue.initSchema();
            new OutboxMaintenance(OutboxConfiguration.of(catalogueUrl, catalogueUser, cataloguePassword, catalogueOutboxTable))
                    .initSchema();
        } catch (SQLException e) {
            throw new JunctionException("db-sync cannot prepare the catalogue database " + catalogueUrl + ": "
                    + e.getMessage().lines().findFirst().orElse("") + "; check db-sync.catalogue.url, user and password", e);
        }
        legacy.checkUuidColumn();
        // Camel may make this bean twice while loading the routes and discard one: the live one's check is the one
        // registered (checks are told apart by id, so another's is replaced, and only our own is removed in stop).
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        registry.getCheck(DbSyncHealthCheck.ID).ifPresent(registry::unregister);
        health = new DbSyncHealthCheck(this);
        registry.register(health);
    }

    /** Also called when Camel discards a bean it made while loading the routes. */
    public void stop() {
        if (health != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
            registry.getCheck(DbSyncHealthCheck.ID).filter(check -> check == health).ifPresent(registry::unregister);
            health = null;
        }
        if (catalogue != null) {
            catalogue.close();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    CatalogueStore catalogue() {
        return catalogue;
    }

    LegacyFilms legacy() {
        return legacy;
    }

    /** Made at first use: the beans start before Camel's meter registry exists. */
    synchronized DbSyncMetrics metrics() {
        if (metrics == null) {
            metrics = new DbSyncMetrics(camelContext);
        }
        return metrics;
    }

    /** Why the capture's sender stopped (Kafka refused a change), or null. */
    String captureProblem() {
        LegacyChangeSender sender = LegacyChangeSender.forOffsetsFile(legacyOffsetsFile);
        return sender == null ? null : sender.problem();
    }

    CdcEngineState cdcEngine() {
        return new CdcEngineState(cdcName);
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public String getCatalogueUrl() { return catalogueUrl; }
    public void setCatalogueUrl(String catalogueUrl) { this.catalogueUrl = catalogueUrl; }
    public String getCatalogueUser() { return catalogueUser; }
    public void setCatalogueUser(String catalogueUser) { this.catalogueUser = catalogueUser; }
    public String getCataloguePassword() { return cataloguePassword; }
    public void setCataloguePassword(String cataloguePassword) { this.cataloguePassword = cataloguePassword; }
    public String getCatalogueOutboxTable() { return catalogueOutboxTable; }
    public void setCatalogueOutboxTable(String catalogueOutboxTable) { this.catalogueOutboxTable = catalogueOutboxTable; }
    public String getCatalogueTopic() { return catalogueTopic; }
    public void setCatalogueTopic(String catalogueTopic) { this.catalogueTopic = catalogueTopic; }
    public String getLegacyUrl() { return legacyUrl; }
    public void setLegacyUrl(String legacyUrl) { this.legacyUrl = legacyUrl; }
    public String getLegacyUser() { return legacyUser; }
    public void setLegacyUser(String legacyUser) { this.legacyUser = legacyUser; }
    public String getLegacyPassword() { return legacyPassword; }
    public void setLegacyPassword(String legacyPassword) { this.legacyPassword = legacyPassword; }
    public int getLegacyLanguageId() { return legacyLanguageId; }
    public void setLegacyLanguageId(int legacyLanguageId) { this.legacyLanguageId = legacyLanguageId; }
    public String getCdcName() { return cdcName; }
    public void setCdcName(String cdcName) { this.cdcName = cdcName; }
    public String getLegacyOffsetsFile() { return legacyOffsetsFile; }
    public void setLegacyOffsetsFile(String legacyOffsetsFile) { this.legacyOffsetsFile = legacyOffsetsFile; }
}
