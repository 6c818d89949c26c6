package dev.ragkit.core.ingest;

/** Told of progress after each written batch; called on the ingesting thread, so keep it quick. */
@FunctionalInterface
public interface IngestionListener {
    IngestionListener NONE = progress -> { };

    void onProgress(IngestionProgress progress);
}
