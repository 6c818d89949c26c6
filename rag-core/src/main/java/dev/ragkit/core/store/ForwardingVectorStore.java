package dev.ragkit.core.store;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;

/**
 * A store that passes every call to another one. Extend it and override only what a wrapper changes
 * (a keyword-search sidecar, timing, counting, a capability hidden for a test); the rest stays a
 * faithful pass-through.
 */
public class ForwardingVectorStore implements VectorStore {
    private final VectorStore delegate;

    public ForwardingVectorStore(VectorStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped store. */
    protected final VectorStore delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return delegate.capabilities();
    }

    /**
     * The delegate's, as long as this store declares FILTER as the delegate does: a subclass that drops
     * FILTER supports no filter, one that adds it filters by itself (every filter, unless it overrides this).
     */
    @Override
    public FilterSupport filterSupport() {
        if (!capabilities().contains(StoreCapability.FILTER)) {
            return FilterSupport.none();
        }
        return delegate.capabilities().contains(StoreCapability.FILTER) ? delegate.filterSupport() : FilterSupport.all();
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        delegate.upsert(chunks);
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        return delegate.search(request);
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        return delegate.get(ids);
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        return delegate.getEmbedded(ids);
    }

    @Override
    public void delete(Collection<String> ids) {
        delegate.delete(ids);
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        return delegate.scan(filter, cursor, limit);
    }

    @Override
    public long count() {
        return delegate.count();
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        return delegate.indexInfo();
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        delegate.recordIndexInfo(info);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
