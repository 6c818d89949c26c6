package dev.ragkit.core.internal;

import dev.ragkit.core.cache.CacheBackend;
import dev.ragkit.core.cache.CacheBackendProvider;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.cache.LocalCacheBackend;
import dev.ragkit.core.config.ProviderConfig;

/** {@code rag.cache=memory}: the in-process {@link LocalCacheBackend}; it has no settings of its own. */
public final class LocalCacheBackendProvider implements CacheBackendProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public CacheBackend create(ProviderConfig config, CacheLimits limits) {
        return new LocalCacheBackend(limits);
    }
}
