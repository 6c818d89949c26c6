package dev.ragkit.core.testing;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to a store and counts the chunks written and deleted through it. */
public final class CountingStore extends ForwardingVectorStore {
    private final AtomicInteger upserted = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();

    public CountingStore(VectorStore delegate) {
        super(delegate);
    }

    public int upserted() {
        return upserted.get();
    }

    public int deleted() {
        return deleted.get();
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        super.upsert(chunks);
        upserted.addAndGet(chunks.size());
    }

    @Override
    public void delete(Collection<String> ids) {
        super.delete(ids);
        deleted.addAndGet(ids.size());
    }
}
