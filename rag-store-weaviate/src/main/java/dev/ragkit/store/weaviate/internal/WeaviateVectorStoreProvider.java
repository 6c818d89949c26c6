package dev.ragkit.store.weaviate.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.weaviate.WeaviateVectorStore;
import dev.ragkit.store.weaviate.WeaviateVersionedIndex;
import java.util.Optional;
import java.net.URI;
import java.time.Duration;

/**
 * Provider {@code weaviate}. Keys under {@code rag.store.weaviate.}: {@code url} (required, e.g.
 * {@code http://localhost:8080}), {@code collection} (default {@code Ragkit}), {@code dimension}
 * (required; the assembler sets it from the embedder), {@code api-key} or {@code bearer-token},
 * {@code connect-timeout} (default 10s), {@code request-timeout} (60s), {@code max-retries} (4),
 * {@code backoff} (200ms), {@code max-backoff} (10s), {@code batch-size} (100), {@code alpha} (hybrid
 * weight of the vector side, 0.5), {@code ef-construction} (128), {@code max-connections} (32),
 * {@code ef} (256), {@code live-refresh} (versioned indexes only, 1s).
 */
public final class WeaviateVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "weaviate";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        WeaviateVectorStore.Builder builder = builder(config, config.requiredInteger("dimension"));
        config.validate();
        return builder.build();
    }

    /**
     * The versioned index named by {@code collection}: the alias of that name points at the live
     * collection {@code <collection>_v<N>} (see {@link WeaviateVersionedIndex}); {@code live-refresh}
     * (default 1s) is how often a serving store asks which version is live. {@code dimension} is not
     * needed: each version takes its embedder's.
     */
    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        Duration refresh = config.duration("live-refresh", Duration.ofSeconds(1));
        WeaviateVectorStore.Builder builder = builder(config, 1);
        if (refresh.isNegative()) {
            config.problem("live-refresh", refresh, "must be >= 0");
        }
        config.validate();
        return Optional.of(builder.buildVersioned(refresh));
    }

    /** Maps every key onto the builder, recording each problem under its key. */
    static WeaviateVectorStore.Builder builder(ProviderConfig config, int dimension) {
        String url = config.required("url");
        URI uri = null;
        if (url != null) {
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                // reported below with the builder's other checks
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                config.problem("url", url, "must be an http:// or https:// URL such as http://localhost:8080");
            }
        }
        WeaviateVectorStore.Builder builder = WeaviateVectorStore.builder()
                .url(uri)
                .collection(config.string("collection", "Ragkit"))
                .dimension(dimension)
                .apiKey(config.secret("api-key").orElse(null))
                .bearerToken(config.secret("bearer-token").orElse(null))
                .connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(10)))
                .requestTimeout(config.duration("request-timeout", Duration.ofSeconds(60)))
                .maxRetries(config.integer("max-retries", 4))
                .backoff(config.duration("backoff", Duration.ofMillis(200)), config.duration("max-backoff", Duration.ofSeconds(10)))
                .batchSize(config.integer("batch-size", 100))
                .alpha(config.decimal("alpha", 0.5))
                .hnsw(config.integer("ef-construction", 128), config.integer("max-connections", 32), config.integer("ef", 256));
        if (config.problems().isEmpty()) {
            builder.problems().forEach(p -> config.problem(p.key(), p.value(), p.requirement()));
        }
        return builder;
    }
}
