package dev.ragkit.core.migrate;

import java.time.Duration;

/**
 * What one {@link StoreMigration#backfill()} call did.
 *
 * @param chunksCopied chunks copied by this call
 * @param totalCopied chunks copied by every call of this migration, this one included
 * @param resumed whether the call continued from a checkpoint left by an earlier call
 * @param duration the call's wall-clock time
 */
public record BackfillReport(long chunksCopied, long totalCopied, boolean resumed, Duration duration) {
}
