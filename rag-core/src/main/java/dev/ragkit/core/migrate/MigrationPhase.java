package dev.ragkit.core.migrate;

/** Which store of a {@link StoreMigration} serves reads and receives writes first. */
public enum MigrationPhase {
    /** Reads come from the source; the target is shadow-queried. Before cutover and after a rollback. */
    SOURCE_LIVE,
    /** Reads come from the target, since {@link StoreMigration#cutover()}; writes still reach the source. */
    TARGET_LIVE
}
