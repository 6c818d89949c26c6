package dev.ragkit.core.spi;

/**
 * What a {@link VectorStore} can do beyond upsert, get, dense search and count. A store declares its
 * capabilities and the test kit checks every claim; a method belonging to an undeclared capability
 * throws {@link UnsupportedCapabilityException}, and the core checks declarations at assembly.
 */
public enum StoreCapability {
    /**
     * Search honours {@link dev.ragkit.core.model.Filter}s exactly: every operator on every value type,
     * unless {@link VectorStore#filterSupport()} narrows it, and then the rest is refused, never ignored.
     */
    FILTER,
    /** Chunks can be deleted by id. */
    DELETE,
    /** Keyword (BM25) search on chunk text. */
    KEYWORD_SEARCH,
    /** Contents survive closing and reopening the store. */
    PERSISTENCE,
    /** Every chunk can be listed, page by page, optionally filtered. */
    SCAN,
    /**
     * Stored vectors can be read back ({@link VectorStore#getEmbedded}): what
     * reuses the embeddings of unchanged chunks and copies an index to another store.
     */
    READ_VECTORS
}
