package com.example.host;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The smallest honest store, written as a host would write an adapter: exact cosine search over a map,
 * no optional capability. It declares none, so every optional method throws
 * {@link UnsupportedCapabilityException}, and the test kit checks both what it does and what it refuses.
 * {@code Ragkit.fromConfig} cannot use it for ingestion (no SCAN, no DELETE): see the README's table.
 */
public final class TinyVectorStore implements VectorStore {
    private record Entry(Chunk chunk, float[] unit) {
    }

    private final int dimension;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private IndexInfo indexInfo;
    private boolean closed;

    public TinyVectorStore(int dimension) {
        if (dimension < 1) {
            throw new InvalidInputException("dimension was " + dimension + " but it must be >= 1");
        }
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return Set.of();
    }

    @Override
    public synchronized void upsert(List<EmbeddedChunk> chunks) {
        ensureOpen();
        // Check the whole batch before writing anything: a batch is all or nothing.
        Set<String> ids = new HashSet<>();
        List<Entry> batch = new ArrayList<>();
        for (EmbeddedChunk c : chunks) {
            if (!ids.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one batch");
            }
            Vectors.requireDimension("vector of chunk '" + c.id() + "'", c.vector(), dimension);
            Vectors.requireFinite("vector of chunk '" + c.id() + "'", c.vector());
            batch.add(new Entry(c.chunk(), Vectors.normalised("vector of chunk '" + c.id() + "'", c.vector())));
        }
        batch.forEach(e -> entries.put(e.chunk().id(), e));
    }

    @Override
    public synchronized List<SearchHit> search(SearchRequest request) {
        ensureOpen();
        if (request.filter().isPresent()) {
            throw new UnsupportedCapabilityException(name(), StoreCapability.FILTER);
        }
        float[] vector = request.vector().orElseThrow(
                () -> new UnsupportedCapabilityException(name(), StoreCapability.KEYWORD_SEARCH));
        Vectors.requireDimension("query vector", vector, dimension);
        float[] query = Vectors.normalised("query vector", vector);
        return entries.values().stream()
                .map(e -> new SearchHit(e.chunk(), Vectors.cosineScore(Vectors.dot(query, e.unit()))))
                .filter(h -> h.score() >= request.minScore())
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id))
                .limit(request.topK())
                .toList();
    }

    @Override
    public synchronized List<Chunk> get(Collection<String> ids) {
        ensureOpen();
        return ids.stream().map(entries::get).filter(e -> e != null).map(Entry::chunk).toList();
    }

    @Override
    public void delete(Collection<String> ids) {
        throw new UnsupportedCapabilityException(name(), StoreCapability.DELETE);
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        throw new UnsupportedCapabilityException(name(), StoreCapability.SCAN);
    }

    @Override
    public synchronized long count() {
        ensureOpen();
        return entries.size();
    }

    @Override
    public synchronized Optional<IndexInfo> indexInfo() {
        ensureOpen();
        return Optional.ofNullable(indexInfo);
    }

    @Override
    public synchronized void recordIndexInfo(IndexInfo info) {
        ensureOpen();
        // Kept with the data (here in memory, like the data): what built the index, checked by the core.
        indexInfo = info;
    }

    @Override
    public void flush() {
        // Nothing to make durable: the store keeps nothing on disk (no PERSISTENCE).
    }

    @Override
    public synchronized void close() {
        closed = true;
        entries.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store 'tiny' is closed");
        }
    }
}
