package dev.ragkit.store.elastic.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.ProviderSettings;
import java.util.Optional;

/**
 * Provider {@code elastic}: a store on an Elasticsearch 8.x cluster. Keys (under {@code rag.store.elastic.}):
 * {@code url} (required; comma-separated for several nodes), {@code index} (default {@code ragkit}),
 * {@code dimension} (set by the assembler), {@code api-key}, or {@code username} and {@code password},
 * {@code ca-file}, {@code connect-timeout} (5s), {@code socket-timeout} (60s), {@code retries} (3),
 * {@code backoff} (200ms), {@code language} ({@code standard}, {@code english}, {@code french}),
 * {@code hnsw-m} (16), {@code hnsw-ef-construction} (100), {@code vector-index-type} ({@code int8_hnsw};
 * {@code hnsw}, {@code int4_hnsw}, {@code bbq_hnsw}), {@code num-candidates} (100), {@code shards} (1),
 * {@code replicas} (0), {@code bulk-size} (500), {@code refresh-after-write} (true), {@code create-index}
 * (true), and {@code live-refresh} (1s) for the versioned index.
 */
public final class ElasticVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "elastic";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        ProviderSettings settings = ProviderSettings.read(config, IndexOptions.defaults(), "Elasticsearch");
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return builder(settings).dimension(dimension).build();
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        config.integer("dimension", 0); // each version has its own, from what builds it
        ProviderSettings settings = ProviderSettings.read(config, IndexOptions.defaults(), "Elasticsearch");
        config.validate();
        return Optional.of(builder(settings).versioned());
    }

    private static ElasticVectorStore.Builder builder(ProviderSettings settings) {
        return ElasticVectorStore.builder().connection(settings.connection()).index(settings.index())
                .options(settings.options()).createIndex(settings.createIndex()).liveRefresh(settings.liveRefresh());
    }
}
