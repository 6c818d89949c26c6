package dev.ragkit.core.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one ingestion did.
 *
 * @param documents documents examined, skipped ones included
 * @param chunksEmbedded chunks that were new or changed, and so embedded and written (identical texts in one
 *     batch are embedded once but counted each)
 * @param chunksUnchanged chunks already stored with the same content, neither embedded nor written
 * @param chunksDeleted stored chunks removed because their document shrank or was deleted
 * @param duration wall-clock time
 * @param skipped documents left alone, such as those longer than the maximum document size
 * @param chunksReused chunks that were new, moved or changed in metadata only, written with a vector
 *     already stored for the same text (in this store or the one reused from) instead of being embedded
 */
public record IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                              Duration duration, List<SkippedDocument> skipped, int chunksReused) {
    public IngestionReport {
        Objects.requireNonNull(duration, "duration");
        skipped = List.copyOf(skipped);
        if (chunksReused < 0) {
            throw new IllegalArgumentException("chunksReused was " + chunksReused + " but it must be >= 0");
        }
    }

    /** A report with no reused vector. */
    public IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                           Duration duration, List<SkippedDocument> skipped) {
        this(documents, chunksEmbedded, chunksUnchanged, chunksDeleted, duration, skipped, 0);
    }

    /** A report with no skipped document. */
    public IngestionReport(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                           Duration duration) {
        this(documents, chunksEmbedded, chunksUnchanged, chunksDeleted, duration, List.of());
    }

    /**
     * One line for logs and the CLI:
     * {@code documents=3 chunks_embedded=0 chunks_unchanged=12 chunks_deleted=0 duration_ms=41}, then
     * {@code documents_skipped=N} when some were skipped and {@code chunks_reused=N} when some were reused.
     */
    public String summary() {
        return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged=" + chunksUnchanged
                + " chunks_deleted=" + chunksDeleted + " duration_ms=" + duration.toMillis()
                + (skipped.isEmpty() ? "" : " documents_skipped=" + skipped.size())
                + (chunksReused == 0 ? "" : " chunks_reused=" + chunksReused);
    }

    /** Chunks written by this ingestion: embedded or with a reused vector. */
    public int chunksWritten() {
        return chunksEmbedded + chunksReused;
    }
}
