package dev.ragkit.core.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * What one ingestion did.
 *
 * @param documents documents examined
 * @param chunksEmbedded chunks that were new or changed, and so embedded and written
 * @param chunksUnchanged chunks already stored with the same content, neither embedded nor written
 * @param chunksDeleted stored chunks removed because their document shrank or was deleted
 * @param duration wall-clock time
 */
public record IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                              Duration duration) {
    public IngestionReport {
        Objects.requireNonNull(duration, "duration");
    }

    /** One line for logs and the CLI: {@code documents=3 chunks_embedded=0 chunks_unchanged=12 chunks_deleted=0}. */
    public String summary() {
        return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged=" + chunksUnchanged
                + " chunks_deleted=" + chunksDeleted + " duration_ms=" + duration.toMillis();
    }
}
