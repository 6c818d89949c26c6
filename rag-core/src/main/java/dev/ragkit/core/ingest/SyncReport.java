package dev.ragkit.core.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link Ingestor#sync(DocumentLoader)} did to one source.
 *
 * @param sourceId the loader's {@link DocumentLoader#sourceId()}
 * @param documents documents the loader yielded, those the ingestor skipped included
 * @param chunksEmbedded chunks that were new or changed, and so embedded and written
 * @param chunksUnchanged chunks already stored with the same content and metadata
 * @param chunksDeleted chunks removed: from documents that shrank, and from documents deleted
 * @param documentsDeleted documents removed because the source no longer yields them
 * @param duration wall-clock time
 * @param skipped what the loader could not read and what the ingestor left alone (too long); the
 *     index keeps what it had of them
 * @param takenOver documents the source yielded that were stored before from another source, by the
 *     id of that other source: they now belong to this one (a moved folder, or two sources with
 *     clashing ids)
 * @param chunksReused chunks written with a vector already stored for the same text instead of being
 *     embedded (see {@link IngestionReport#chunksReused()})
 */
public record SyncReport(String sourceId, int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                         int documentsDeleted, Duration duration, List<SkippedDocument> skipped,
                         Map<String, List<String>> takenOver, int chunksReused) {
    public SyncReport {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(duration, "duration");
        skipped = List.copyOf(skipped);
        takenOver = Map.copyOf(takenOver);
        if (chunksReused < 0) {
            throw new IllegalArgumentException("chunksReused was " + chunksReused + " but it must be >= 0");
        }
    }

    /** A report with no reused vector. */
    public SyncReport(String sourceId, int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
                      int documentsDeleted, Duration duration, List<SkippedDocument> skipped,
                      Map<String, List<String>> takenOver) {
        this(sourceId, documents, chunksEmbedded, chunksUnchanged, chunksDeleted, documentsDeleted, duration,
                skipped, takenOver, 0);
    }

    /**
     * One line for logs and the CLI:
     * {@code documents=12 chunks_embedded=34 chunks_unchanged=0 chunks_deleted=0 documents_deleted=0 duration_ms=41},
     * then {@code documents_skipped=N} when some were skipped and {@code chunks_reused=N} when some were reused.
     */
    public String summary() {
        return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged=" + chunksUnchanged
                + " chunks_deleted=" + chunksDeleted + " documents_deleted=" + documentsDeleted
                + " duration_ms=" + duration.toMillis()
                + (skipped.isEmpty() ? "" : " documents_skipped=" + skipped.size())
                + (chunksReused == 0 ? "" : " chunks_reused=" + chunksReused);
    }
}
