package dev.ragkit.core.spi;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores embedded chunks and finds them again. Implementations are thread-safe: searches may run
 * concurrently with each other and with writes.
 *
 * <p>Every write is all-or-nothing for the batch: after a failed {@link #upsert} or {@link #delete}
 * the store holds either the whole batch or none of it. Bad input (wrong dimension, NaN) is rejected
 * before anything is written.
 */
public interface VectorStore extends AutoCloseable {
    /** The provider name, used in metrics tags and errors, e.g. {@code memory}. */
    String name();

    /** Dimension of every vector in this store. */
    int dimension();

    /** What this store can do beyond the basics; stable for the store's lifetime. */
    Set<StoreCapability> capabilities();

    /**
     * Which filters {@link #search} applies exactly; it refuses the rest with
     * {@link UnsupportedCapabilityException} before sending anything. Empty exactly when
     * {@link StoreCapability#FILTER} is not declared. The default supports every filter when FILTER is
     * declared; a store that can express only part of the portable {@link Filter} narrows it.
     */
    default FilterSupport filterSupport() {
        return capabilities().contains(StoreCapability.FILTER) ? FilterSupport.all() : FilterSupport.none();
    }

    /**
     * Inserts chunks, replacing any stored chunk with the same id.
     *
     * @throws dev.ragkit.core.InvalidInputException on a dimension mismatch or duplicate ids in the batch
     */
    void upsert(List<EmbeddedChunk> chunks);

    /**
     * The best {@code topK} hits by descending score, ties broken by ascending chunk id. Dense when
     * the request has a vector; keyword when it has text (needs {@link StoreCapability#KEYWORD_SEARCH});
     * a filter needs {@link StoreCapability#FILTER} and is refused where {@link #filterSupport()} does not
     * cover it.
     */
    List<SearchHit> search(SearchRequest request);

    /** The stored chunks among {@code ids}, in the order of {@code ids}, skipping unknown ids. */
    List<Chunk> get(Collection<String> ids);

    /**
     * The stored chunks among {@code ids} with their vectors, in the order of {@code ids}, skipping
     * unknown ids. A vector comes back as last written, or as its unit-length form in a store that
     * normalises for cosine similarity (equal within 1e-6 either way; the test kit checks it), so
     * writing it again to any store gives the same search results. Needs
     * {@link StoreCapability#READ_VECTORS}.
     */
    default List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        throw new UnsupportedCapabilityException(name(), StoreCapability.READ_VECTORS);
    }

    /** Removes the chunks with these ids; unknown ids are ignored. Needs {@link StoreCapability#DELETE}. */
    void delete(Collection<String> ids);

    /**
     * One page of the chunks that satisfy {@code filter} (all when null), without vectors. Start with
     * a null cursor, then pass {@link ScanPage#nextCursor()}. Needs {@link StoreCapability#SCAN}.
     *
     * @param filter nullable: null lists every chunk
     * @param cursor nullable: null starts at the first page
     * @param limit at most this many chunks in the page, at least 1
     */
    ScanPage scan(Filter filter, String cursor, int limit);

    /** Number of chunks stored. */
    long count();

    /**
     * What built this index, as last recorded with {@link #recordIndexInfo(IndexInfo)}; empty for an
     * index that never had it recorded. Kept by the store itself (persistent stores persist it with their
     * data), so every host that opens the index sees it. Cheap: callers may ask at every ingestion.
     */
    Optional<IndexInfo> indexInfo();

    /**
     * Records what builds this index, replacing any earlier record; durable like a write (a persistent
     * store keeps it across a crash once this returns). The ingestor calls it before its first write.
     */
    void recordIndexInfo(IndexInfo info);

    /** Makes every completed write durable; a no-op for stores without {@link StoreCapability#PERSISTENCE}. */
    void flush();

    /** Flushes and releases resources; later calls fail with a clear error. */
    @Override
    void close();
}
