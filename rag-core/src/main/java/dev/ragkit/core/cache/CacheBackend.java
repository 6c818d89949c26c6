package dev.ragkit.core.cache;

/**
 * Where the query caches keep their entries: in the process ({@link LocalCacheBackend}) or shared
 * between replicas (e.g. Redis, from {@code rag-cache-redis}). Values are opaque bytes; keys are
 * short digests that never contain query text.
 *
 * <p>A backend keeps a write generation: {@link #advanceGeneration()} is called after every write to
 * the index, and a lookup in a region that {@link CacheRegion#followsWrites() follows writes} only
 * returns an entry written at the current generation. That is what keeps an ingest, on this replica or
 * another sharing the backend, from leaving stale results behind.
 *
 * <p>Implementations are thread-safe. Their methods may throw on a backend failure (a
 * {@link dev.ragkit.core.RagBackendException} or any runtime exception): the caller counts it, carries on
 * without the cache and never fails a question because of it.
 */
public interface CacheBackend extends AutoCloseable {
    /** The provider name, e.g. {@code memory} or {@code redis}; the {@code backend} metric tag. */
    String name();

    /** The entry under {@code key} if it was written at the current generation, with that generation. */
    CacheLookup get(CacheRegion region, String key);

    /**
     * Stores {@code value} as written at {@code generation} (the one a previous {@link #get} returned),
     * within the region's limits.
     */
    void put(CacheRegion region, String key, byte[] value, long generation);

    /** Makes every entry written so far unservable: called after each write to the index. */
    void advanceGeneration();

    /** Releases connections; entries in a shared backend stay for other replicas. */
    @Override
    void close();
}
