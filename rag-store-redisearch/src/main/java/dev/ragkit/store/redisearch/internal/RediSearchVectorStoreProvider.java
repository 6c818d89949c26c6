package dev.ragkit.store.redisearch.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.redisearch.RediSearchVectorStore;
import dev.ragkit.store.redisearch.RediSearchVersionedIndex;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Provider {@code redisearch}. Keys under {@code rag.store.redisearch.}: {@code url} ({@code redis://} or
 * {@code rediss://}, default {@code redis://localhost:6379}), {@code user}, {@code password}, {@code index}
 * (FT index name, or the versioned index's name; default {@code ragkit}), {@code key-prefix} (default
 * {@code doc:<index>:}), {@code dimension} (required for a plain store; the assembler sets it from the
 * embedder), {@code fields} (comma-separated metadata keys that filters may use), {@code language}
 * ({@code english} or {@code french}), {@code m}, {@code ef-construction}, {@code ef-runtime},
 * {@code pool-size}, {@code connect-timeout}, {@code socket-timeout}, {@code retries},
 * {@code retry-backoff}, and for {@link #versioned}: {@code live-refresh} (default 1s) and
 * {@code indexing-timeout} (default 60s).
 */
public final class RediSearchVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "redisearch";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        RediSearchVectorStore.Builder builder = settings(config);
        builder.dimension(config.requiredInteger("dimension"));
        String prefix = config.string("key-prefix", "");
        if (!prefix.isEmpty()) {
            builder.keyPrefix(prefix);
        }
        config.validate();
        return builder.build();
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        RediSearchVectorStore.Builder builder = settings(config);
        Duration refresh = config.duration("live-refresh", Duration.ofSeconds(1));
        Duration indexingTimeout = config.duration("indexing-timeout", Duration.ofSeconds(60));
        config.raw("dimension"); // the embedder's dimension: each version takes the one it was created with
        if (refresh.isNegative()) {
            config.problem("live-refresh", refresh, "must be >= 0");
        }
        if (indexingTimeout.isNegative() || indexingTimeout.isZero()) {
            config.problem("indexing-timeout", indexingTimeout, "must be positive");
        }
        config.validate();
        return Optional.of(RediSearchVersionedIndex.open(config.string("index", "ragkit"), builder, refresh,
                indexingTimeout));
    }

    private static RediSearchVectorStore.Builder settings(ProviderConfig config) {
        String fields = config.string("fields", "");
        List<String> declared = Arrays.stream(fields.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return RediSearchVectorStore.builder()
                .url(config.string("url", "redis://localhost:6379"))
                .user(config.raw("user").orElse(null))
                .password(config.secret("password").orElse(null))
                .index(config.string("index", "ragkit"))
                .fields(declared)
                .language(config.oneOf("language", "english", List.of("english", "french")))
                .m(config.integer("m", 16))
                .efConstruction(config.integer("ef-construction", 200))
                .efRuntime(config.integer("ef-runtime", 100))
                .poolSize(config.integer("pool-size", 8))
                .connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(2)))
                .socketTimeout(config.duration("socket-timeout", Duration.ofSeconds(10)))
                .retries(config.integer("retries", 3))
                .retryBackoff(config.duration("retry-backoff", Duration.ofMillis(100)));
    }
}
