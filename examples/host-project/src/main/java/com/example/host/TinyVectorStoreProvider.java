package com.example.host;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;

/** Provider {@code tiny}: key {@code dimension} (required; {@code Ragkit.fromConfig} sets it from the embedder). */
public final class TinyVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return new TinyVectorStore(dimension);
    }
}
