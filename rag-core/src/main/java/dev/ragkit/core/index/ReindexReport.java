package dev.ragkit.core.index;

import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.model.IndexVersion;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one {@link IndexLifecycle#reindex} did.
 *
 * @param version the version built, now {@link IndexVersion.State#READY READY} (not live)
 * @param resumed whether it continued a version that an interrupted reindex had left
 *     {@link IndexVersion.State#BUILDING BUILDING}, rather than creating one
 * @param reusedFrom the live version whose embeddings were offered for reuse; empty when there was no
 *     live version or it was built with another embedder
 * @param sync what the ingestion into the version did (chunks embedded, reused, unchanged...)
 * @param duration wall-clock time
 */
public record ReindexReport(IndexVersion version, boolean resumed, OptionalInt reusedFrom, SyncReport sync,
                            Duration duration) {
    public ReindexReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reusedFrom, "reusedFrom");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * {@code version=v3 resumed=false reused_from=v2 documents=... chunks_embedded=... chunks=...}: one line
     * for logs and the CLI.
     */
    public String summary() {
        return "version=" + version.label() + " resumed=" + resumed + " reused_from="
                + (reusedFrom.isPresent() ? "v" + reusedFrom.getAsInt() : "none") + " " + sync.summary()
                + (sync.chunksReused() == 0 ? " chunks_reused=0" : "") + " documents_in_version=" + version.documents()
                + " chunks_in_version=" + version.chunks();
    }
}
