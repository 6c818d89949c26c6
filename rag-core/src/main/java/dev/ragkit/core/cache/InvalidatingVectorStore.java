package dev.ragkit.core.cache;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import java.util.Collection;
import java.util.List;

/**
 * A store whose writes invalidate the query caches once they are done: invalidating before would let
 * a search running during the write cache the old content under the new generation.
 */
final class InvalidatingVectorStore extends ForwardingVectorStore {
    private final QueryCaches caches;

    InvalidatingVectorStore(VectorStore delegate, QueryCaches caches) {
        super(delegate);
        this.caches = caches;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        try {
            super.upsert(chunks);
        } finally {
            caches.invalidate();
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        try {
            super.delete(ids);
        } finally {
            caches.invalidate();
        }
    }
}
