package dev.ragkit.store.elastic.internal.opensearch;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.ProviderSettings;
import dev.ragkit.store.elastic.opensearch.OpenSearchVectorStore;
import java.util.Locale;
import java.util.Optional;

/**
 * Provider {@code opensearch}: a store on an OpenSearch 2.x/3.x cluster with the k-NN plugin. Keys (under
 * {@code rag.store.opensearch.}) are those of the {@code elastic} provider ({@link ProviderSettings}): {@code url}
 * (required), {@code index}, {@code dimension} (set by the assembler), {@code api-key} (OpenSearch 3.7+), or
 * {@code username} and {@code password}, {@code ca-file}, timeouts, retries, {@code language}, {@code hnsw-m},
 * {@code hnsw-ef-construction}, {@code num-candidates} (the lucene engine's {@code ef_search}), {@code shards},
 * {@code replicas}, {@code bulk-size}, {@code refresh-after-write}, {@code create-index}, {@code live-refresh};
 * {@code vector-index-type} defaults to, and must be, {@code hnsw} (see {@link OpenSearchEngine#checkOptions}).
 */
public final class OpenSearchVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        ProviderSettings settings = read(config);
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return builder(settings).dimension(dimension).build();
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        config.integer("dimension", 0); // each version has its own, from what builds it
        ProviderSettings settings = read(config);
        config.validate();
        return Optional.of(builder(settings).versioned());
    }

    private static ProviderSettings read(ProviderConfig config) {
        ProviderSettings settings = ProviderSettings.read(config, OpenSearchEngine.defaultOptions(), "OpenSearch");
        // A type outside IndexOptions.VECTOR_INDEX_TYPES is already recorded by the shared reading.
        config.raw("vector-index-type").map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> IndexOptions.VECTOR_INDEX_TYPES.contains(t) && !t.equals(OpenSearchDialect.FLOAT_HNSW))
                .ifPresent(t -> config.problem("vector-index-type", t, "must be 'hnsw': OpenSearch's lucene k-NN engine"
                        + " scores quantised vectors without rescoring, so scores would not be cosine"));
        return settings;
    }

    private static OpenSearchVectorStore.Builder builder(ProviderSettings settings) {
        return OpenSearchVectorStore.builder().connection(settings.connection()).index(settings.index())
                .options(settings.options()).createIndex(settings.createIndex()).liveRefresh(settings.liveRefresh());
    }
}
