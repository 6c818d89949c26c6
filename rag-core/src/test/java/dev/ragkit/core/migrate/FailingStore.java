package dev.ragkit.core.migrate;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that fails on demand: the next N writes, every write, or searches, with a retriable backend
 * error; searches can also be held until a latch opens, and capabilities hidden.
 */
final class FailingStore extends ForwardingVectorStore {
    private final AtomicInteger failNextWrites = new AtomicInteger();
    private volatile boolean failAllWrites;
    private volatile boolean failSearches;
    private volatile CountDownLatch searchGate;
    private volatile Set<StoreCapability> hidden = Set.of();
    final AtomicInteger writeAttempts = new AtomicInteger();
    final AtomicInteger searches = new AtomicInteger();

    FailingStore(VectorStore delegate) {
        super(delegate);
    }

    FailingStore failNextWrites(int n) {
        failNextWrites.set(n);
        return this;
    }

    FailingStore failAllWrites(boolean fail) {
        failAllWrites = fail;
        return this;
    }

    FailingStore failSearches(boolean fail) {
        failSearches = fail;
        return this;
    }

    /** Searches wait until {@code gate} opens (null: no wait). */
    FailingStore holdSearches(CountDownLatch gate) {
        searchGate = gate;
        return this;
    }

    FailingStore hide(StoreCapability... capabilities) {
        hidden = Set.of(capabilities);
        return this;
    }

    private void maybeFail(String what) {
        writeAttempts.incrementAndGet();
        if (failAllWrites) {
            throw RagBackendException.retriable("failing", what + " failed on purpose", null);
        }
        if (failNextWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw RagBackendException.retriable("failing", what + " failed on purpose (one of the next N)", null);
        }
    }

    @Override
    public Set<StoreCapability> capabilities() {
        EnumSet<StoreCapability> caps = EnumSet.noneOf(StoreCapability.class);
        caps.addAll(super.capabilities());
        caps.removeAll(hidden);
        return Set.copyOf(caps);
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        maybeFail("upsert");
        super.upsert(chunks);
    }

    @Override
    public void delete(Collection<String> ids) {
        maybeFail("delete");
        super.delete(ids);
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        maybeFail("recordIndexInfo");
        super.recordIndexInfo(info);
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        searches.incrementAndGet();
        CountDownLatch gate = searchGate;
        if (gate != null) {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("search gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failSearches) {
            throw RagBackendException.retriable("failing", "search failed on purpose", null);
        }
        return super.search(request);
    }
}
