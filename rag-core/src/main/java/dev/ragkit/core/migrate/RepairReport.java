package dev.ragkit.core.migrate;

import java.util.Optional;

/**
 * What one {@link StoreMigration#repair()} call did.
 *
 * @param repairedIds chunk ids made equal in both stores
 * @param pendingIds chunk ids still to repair because a store failed again
 * @param lastError the last failure's message, when some remain
 */
public record RepairReport(long repairedIds, long pendingIds, Optional<String> lastError) {
}
