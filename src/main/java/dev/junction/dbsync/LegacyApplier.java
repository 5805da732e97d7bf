package dev.junction.dbsync;

import java.sql.SQLException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Applies the catalogue topic's API changes to the legacy film table. A change older than the item's newest API
 * change is skipped (that one follows); one whose content the legacy row already holds writes nothing, and since no
 * echo will then come, it is recorded as synced at once.
 */
public final class LegacyApplier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DbSync sync;

    public LegacyApplier(DbSync sync) {
        this.sync = sync;
    }

    public ApplyOutcome apply(String body) throws SQLException {
        CatalogueChange change = parse(body);
        if (change.version() < sync.catalogue().apiVersion(change.uuid())) {
            sync.metrics().appliedToLegacy(ApplyOutcome.STALE);
            return ApplyOutcome.STALE;
        }
        ApplyOutcome outcome;
        if (sync.legacy().apply(change) == LegacyFilms.Written.WRITTEN) {
            outcome = ApplyOutcome.APPLIED;
        } else {
            sync.catalogue().markSynced(change.uuid(), change.version());
            outcome = ApplyOutcome.UNCHANGED;
        }
        sync.metrics().appliedToLegacy(outcome);
        return outcome;
    }

    /**
     * A change given up (dead-lettered): recorded as synced so that the item's legacy changes flow again; the item
     * may then differ between the two sides until its next change, which the dead letter's reason explains.
     */
    public void deadLettered(String body) throws SQLException {
        sync.metrics().deadLettered(DbSyncMetrics.CATALOGUE_TO_LEGACY);
        try {
            CatalogueChange change = parse(body);
            sync.catalogue().markSynced(change.uuid(), change.version());
        } catch (InvalidChangeException e) {
            // Not a change at all: nothing to record.
        }
    }

    private static CatalogueChange parse(String body) {
        try {
            return CatalogueChange.fromJson(JSON.readValue(body, new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidChangeException("not a catalogue change record: " + e.getMessage());
        }
    }
}
