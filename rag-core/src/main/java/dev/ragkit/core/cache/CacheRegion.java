package dev.ragkit.core.cache;

import java.util.Locale;

/** The two things the query caches hold, each with its own size and time-to-live limits. */
public enum CacheRegion {
    /** Query vectors, keyed by the embedder's id and the query text. */
    EMBEDDINGS,
    /** Store search results, keyed by the store, its live index version, the request and the filter. */
    RESULTS;

    /**
     * Whether entries depend on the index's content, so that a write (an advanced generation) makes
     * them unservable: results do, query vectors do not.
     */
    public boolean followsWrites() {
        return this == RESULTS;
    }

    /** The lowercase name used in keys ({@code rag.cache.<name>.ttl}) and in the {@code cache} metric tag. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
