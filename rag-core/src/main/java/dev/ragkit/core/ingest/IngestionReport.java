package dev.ragkit.core.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one ingestion did.
 *
 * @param documents documents examined, skipped ones included
 * @param chunksEmbedded chunks that were new or changed, and so embedded and written
 * @param chunksUnchanged chunks already stored with the same content, neither embedded nor written
 * @param chunksDeleted stored chunks removed because their document shrank or was deleted
 * @param duration wall-clock time
 * @param skipped documents left alone, such as those longer than the maximum document size
 */
public record IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                              Duration duration, List<SkippedDocument> skipped) {
    public IngestionReport {
        Objects.requireNonNull(duration, "duration");
        skipped = List.copyOf(skipped);
    }

    /** A report with no skipped document. */
    public IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                           Duration duration) {
        this(documents, chunksEmbedded, chunksUnchanged, chunksDeleted, duration, List.of());
    }

    /**
     * One line for logs and the CLI:
     * {@code documents=3 chunks_embedded=0 chunks_unchanged=12 chunks_deleted=0 duration_ms=41}, then
     * {@code documents_skipped=N} when some were skipped.
     */
    public String summary() {
        return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged=" + chunksUnchanged
                + " chunks_deleted=" + chunksDeleted + " duration_ms=" + duration.toMillis()
                + (skipped.isEmpty() ? "" : " documents_skipped=" + skipped.size());
    }
}
