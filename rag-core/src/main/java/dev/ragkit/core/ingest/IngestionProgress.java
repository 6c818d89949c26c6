package dev.ragkit.core.ingest;

/**
 * Progress of a running ingestion.
 *
 * @param documentsDone documents whose chunks are all written (or found unchanged), or that were skipped
 * @param documentsTotal documents in this ingestion
 * @param chunksEmbedded chunks embedded and written so far
 * @param chunksUnchanged chunks found unchanged so far
 * @param charactersRead characters of the documents' text split so far: their chunks are written,
 *     found unchanged, or in the batch being embedded (within a document, as near as the splitter says)
 * @param charactersTotal characters of text of all the documents in this ingestion
 * @param chunksReused chunks written so far with a vector already stored for the same text, not embedded
 */
public record IngestionProgress(int documentsDone, int documentsTotal, int chunksEmbedded, int chunksUnchanged,
                                long charactersRead, long charactersTotal, int chunksReused) {
    /** Progress of an ingestion that reused no vector. */
    public IngestionProgress(int documentsDone, int documentsTotal, int chunksEmbedded, int chunksUnchanged,
                             long charactersRead, long charactersTotal) {
        this(documentsDone, documentsTotal, chunksEmbedded, chunksUnchanged, charactersRead, charactersTotal, 0);
    }

    /** Progress counted in documents only. */
    public IngestionProgress(int documentsDone, int documentsTotal, int chunksEmbedded, int chunksUnchanged) {
        this(documentsDone, documentsTotal, chunksEmbedded, chunksUnchanged, 0, 0);
    }

    /**
     * Fraction done, in [0, 1]: of the characters when they are counted, so that it moves while one
     * big document is embedded, else of the documents; 1 only once every document is done.
     */
    public double fraction() {
        if (documentsDone >= documentsTotal) {
            return 1.0;
        }
        double fraction = charactersTotal > 0 ? (double) charactersRead / charactersTotal
                : (double) documentsDone / documentsTotal;
        return Math.min(fraction, Math.nextDown(1.0));
    }
}
