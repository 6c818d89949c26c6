package dev.ragkit.core.ingest;

/**
 * Progress of a running ingestion.
 *
 * @param documentsDone documents whose chunks are all written (or found unchanged)
 * @param documentsTotal documents in this ingestion
 * @param chunksEmbedded chunks embedded and written so far
 * @param chunksUnchanged chunks found unchanged so far
 */
public record IngestionProgress(int documentsDone, int documentsTotal, int chunksEmbedded, int chunksUnchanged) {
    /** Fraction of documents done, in [0, 1]. */
    public double fraction() {
        return documentsTotal == 0 ? 1.0 : (double) documentsDone / documentsTotal;
    }
}
