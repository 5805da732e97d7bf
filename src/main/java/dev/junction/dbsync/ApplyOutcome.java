package dev.junction.dbsync;

/** What applying one change to the other side did; each is counted by {@link DbSyncMetrics}. */
public enum ApplyOutcome {
    /** The change is now in the target. */
    APPLIED,
    /** The target already held the same content: nothing written, no event. */
    UNCHANGED,
    /** db-sync's own change came back from the other side: recorded, not applied again (loop suppressed). */
    ECHO,
    /** A newer change of the other side wins by the conflict rule: this one is not applied. */
    CONFLICT_LOST,
    /** An older change than the target already has (a redelivery): skipped. */
    STALE
}
