package dev.junction.dbsync;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Applies the legacy topic's changes to the catalogue (the rule: {@link CatalogueStore#applyLegacy}). */
public final class CatalogueApplier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DbSync sync;

    public CatalogueApplier(DbSync sync) {
        this.sync = sync;
    }

    public ApplyOutcome apply(String body) throws SQLException {
        LegacyChange change;
        try {
            change = LegacyChange.fromJson(JSON.readValue(body, new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidChangeException("not a legacy change record: " + e.getMessage());
        }
        if (change.uuid() == null) {
            throw new InvalidChangeException("the legacy film row has no uuid");
        }
        if (!change.deleted() && change.echoOf().isEmpty()) {
            List<String> violations = FilmRules.violations(change.fields());
            if (!violations.isEmpty()) {
                throw new InvalidChangeException("legacy film " + change.uuid() + " breaks the catalogue's rules: "
                        + String.join("; ", violations));
            }
        }
        ApplyOutcome outcome = sync.catalogue().applyLegacy(change);
        sync.metrics().appliedToCatalogue(outcome);
        return outcome;
    }

    public void deadLettered() {
        sync.metrics().deadLettered(DbSyncMetrics.LEGACY_TO_CATALOGUE);
    }
}
