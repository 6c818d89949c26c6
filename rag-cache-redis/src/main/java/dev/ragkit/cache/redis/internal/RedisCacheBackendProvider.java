package dev.ragkit.cache.redis.internal;

import dev.ragkit.cache.redis.RedisCacheBackend;
import dev.ragkit.core.cache.CacheBackend;
import dev.ragkit.core.cache.CacheBackendProvider;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.config.ProviderConfig;
import java.time.Duration;

/**
 * {@code rag.cache=redis}: keys {@code rag.cache.redis.url} (required), {@code password},
 * {@code key-prefix} ({@code ragkit:cache}), {@code timeout} (250ms), {@code pool-size} (16).
 */
public final class RedisCacheBackendProvider implements CacheBackendProvider {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public CacheBackend create(ProviderConfig config, CacheLimits limits) {
        RedisCacheBackend.Builder builder = RedisCacheBackend.builder()
                .url(config.string("url", null))
                .password(config.string("password", null))
                .keyPrefix(config.string("key-prefix", "ragkit:cache"))
                .timeout(config.duration("timeout", Duration.ofMillis(250)))
                .poolSize(config.integer("pool-size", 16))
                .limits(limits);
        config.validate();
        return builder.build();
    }
}
