package dev.ragkit.core.cache;

import dev.ragkit.core.config.ProviderConfig;

/**
 * Makes a {@link CacheBackend} from configuration; registered in {@code META-INF/services} (or with
 * {@code provides} on the module path) and chosen by {@code rag.cache=<name>}. The no-arg constructor
 * does nothing heavy; a provider only maps its settings onto the backend's public builder.
 */
public interface CacheBackendProvider {
    /** Lowercase {@code [a-z0-9-]} name, e.g. {@code redis}. */
    String name();

    /**
     * A backend for {@code config}'s keys ({@code rag.cache.<name>.<key>}) and the regions' limits.
     * Problems with the settings are recorded in {@code config} ({@link ProviderConfig#problem}) or
     * thrown as a {@link dev.ragkit.core.RagConfigurationException}; an unreachable server is not a
     * problem at assembly, since the caches carry on without it.
     */
    CacheBackend create(ProviderConfig config, CacheLimits limits);
}
