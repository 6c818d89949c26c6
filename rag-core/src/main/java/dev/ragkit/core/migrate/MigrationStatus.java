package dev.ragkit.core.migrate;

import java.util.OptionalLong;

/**
 * Where a store migration stands, as {@code ./ragkit migrate status} prints it.
 *
 * @param source the source store's name
 * @param target the target store's name
 * @param phase which store serves reads
 * @param chunksCopied chunks the backfill has copied so far (a resumed backfill counts each page once)
 * @param backfillDone whether the backfill reached the end of the source
 * @param sourceChunks the source's chunk count; empty when read from the state directory alone
 * @param targetChunks the target's chunk count; empty when read from the state directory alone
 * @param pendingRepairs chunk ids whose copy in one store may lag the other: writes that failed on one
 *     side after their retries, or that a crash interrupted (read from the directory alone, it also
 *     counts the writes a running migration has in flight)
 */
public record MigrationStatus(String source, String target, MigrationPhase phase, long chunksCopied,
                              boolean backfillDone, OptionalLong sourceChunks, OptionalLong targetChunks,
                              long pendingRepairs) {
    /** One line for people, e.g. {@code backfill 1200/5000 chunks (24 %), 0 pending repairs, reads from source}. */
    public String describe() {
        StringBuilder text = new StringBuilder("migration ").append(source).append(" -> ").append(target).append(": ");
        if (backfillDone) {
            text.append("backfill done (").append(chunksCopied).append(" chunks copied)");
        } else {
            text.append("backfill ").append(chunksCopied);
            if (sourceChunks.isPresent() && sourceChunks.getAsLong() > 0) {
                long total = sourceChunks.getAsLong();
                text.append('/').append(total).append(" chunks (")
                        .append(Math.min(100, chunksCopied * 100 / total)).append(" %)");
            } else {
                text.append(" chunks copied, not finished");
            }
        }
        text.append(", ").append(pendingRepairs).append(" pending repair").append(pendingRepairs == 1 ? "" : "s");
        text.append(", reads from ").append(phase == MigrationPhase.SOURCE_LIVE ? "source" : "target");
        return text.toString();
    }
}
