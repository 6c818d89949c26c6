package dev.ragkit.core.store;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Adds BM25 keyword search to a store that has none (FAISS, for example), with an in-process index
 * kept beside it. The index is rebuilt from the store's contents when wrapped (the store must
 * declare {@link StoreCapability#SCAN}) and kept in step with every write made through this wrapper,
 * so write only through the wrapper. Filters on keyword search are applied with
 * {@link Filter#test(Chunk)}, the reference semantics.
 */
public final class Bm25SidecarStore extends ForwardingVectorStore {
    private static final int SCAN_PAGE = 1000;

    private final Bm25Index index;
    private final Map<String, Chunk> chunks = new ConcurrentHashMap<>();
    private final Set<StoreCapability> capabilities;

    private Bm25SidecarStore(VectorStore delegate, TextAnalyzer analyzer, KeywordWeights weights) {
        super(delegate);
        this.index = new Bm25Index(analyzer, Bm25Index.DEFAULT_K1, Bm25Index.DEFAULT_B, weights);
        EnumSet<StoreCapability> caps = EnumSet.copyOf(delegate.capabilities());
        caps.add(StoreCapability.KEYWORD_SEARCH);
        this.capabilities = Set.copyOf(caps);
        String cursor = null;
        do {
            ScanPage page = delegate.scan(null, cursor, SCAN_PAGE);
            page.chunks().forEach(this::indexChunk);
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
    }

    /**
     * {@code store} itself when it already has keyword search, else {@code store} with a BM25 sidecar.
     *
     * @throws RagConfigurationException when the store can neither search text nor be scanned
     */
    public static VectorStore wrapIfNeeded(VectorStore store, TextAnalyzer analyzer) {
        return wrapIfNeeded(store, analyzer, KeywordWeights.DEFAULTS);
    }

    /**
     * As {@link #wrapIfNeeded(VectorStore, TextAnalyzer)}, with the sidecar's proximity and subword weights
     * ({@link KeywordWeights#PLAIN_BM25} for plain BM25; see {@link Bm25Index}).
     */
    public static VectorStore wrapIfNeeded(VectorStore store, TextAnalyzer analyzer, KeywordWeights weights) {
        if (store.capabilities().contains(StoreCapability.KEYWORD_SEARCH)) {
            return store;
        }
        if (!store.capabilities().contains(StoreCapability.SCAN)) {
            throw new RagConfigurationException("store '" + store.name() + "' has no keyword search and cannot be "
                    + "scanned to build one; use retrieval mode dense");
        }
        return new Bm25SidecarStore(store, analyzer, weights);
    }

    private synchronized void indexChunk(Chunk chunk) {
        chunks.put(chunk.id(), chunk);
        index.put(chunk.id(), chunk.text());
    }

    private synchronized void unindex(String id) {
        chunks.remove(id);
        index.remove(id);
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return capabilities;
    }

    @Override
    public void upsert(List<EmbeddedChunk> batch) {
        delegate().upsert(batch);
        batch.forEach(c -> indexChunk(c.chunk()));
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        if (request.isDense()) {
            return delegate().search(request);
        }
        Predicate<String> accept = request.filter().<Predicate<String>>map(f -> id -> {
            Chunk c = chunks.get(id);
            return c != null && f.test(c);
        }).orElse(id -> true);
        return index.search(request.text().orElseThrow(), request.topK(), accept).stream()
                .filter(h -> h.normalisedScore() >= request.minScore())
                .map(h -> Optional.ofNullable(chunks.get(h.id())).map(c -> new SearchHit(c, h.normalisedScore())))
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public void delete(Collection<String> ids) {
        delegate().delete(ids);
        ids.forEach(this::unindex);
    }

}
