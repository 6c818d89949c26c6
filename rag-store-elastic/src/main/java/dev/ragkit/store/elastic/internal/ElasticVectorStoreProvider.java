package dev.ragkit.store.elastic.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;

/** Provider {@code elastic}: a store on an Elasticsearch 8.x cluster (keys {@code rag.store.elastic.*}). */
public final class ElasticVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "elastic";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        // Skeleton commit: the store lands in the next commits of this branch.
        throw new UnsupportedOperationException("the elastic store is being built on branch wt-elastic");
    }
}
