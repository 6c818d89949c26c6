package dev.ragkit.core.cache;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code rag.cache.*} settings, read where {@link dev.ragkit.core.Ragkit} assembles the retriever:
 * <ul>
 *   <li>{@code rag.cache}: the backend, {@code none} (default: no caching), {@code memory} (in-process) or
 *       a provider's name such as {@code redis} (add {@code dev.ragkit:rag-cache-redis})</li>
 *   <li>{@code rag.cache.embeddings.max-entries} (10000), {@code rag.cache.embeddings.ttl} (1h)</li>
 *   <li>{@code rag.cache.results.max-entries} (10000), {@code rag.cache.results.ttl} (5m): results also
 *       bound how long a write made outside this process (another host writing the same store without a
 *       shared cache backend) can go unseen</li>
 *   <li>{@code rag.cache.failure.retry-after} (5s): how long a failed backend is left alone</li>
 *   <li>{@code rag.cache.<backend>.<key>}: the backend's own settings</li>
 * </ul>
 */
public final class CacheSettings {
    /** The key naming the backend. */
    public static final String KEY = "rag.cache";
    private static final String PREFIX = KEY + ".";
    private static final List<String> OWN_SECTIONS = List.of("embeddings", "results", "failure");

    private CacheSettings() {
    }

    /** Whether {@code key} is one of the settings read here (so the host's unknown-key check leaves it to this class). */
    public static boolean isCacheKey(String key) {
        return key.equals(KEY) || key.startsWith(PREFIX);
    }

    /**
     * The caches {@code config} asks for, or empty when {@code rag.cache} is absent or {@code none}. Every
     * problem (unknown backend, bad limit, unknown {@code rag.cache.*} key) is added to {@code problems};
     * the caller reports them with its own.
     *
     * @param loader where to find backend providers
     * @param registry where {@code rag.cache.*} meters go, or null
     */
    public static Optional<QueryCaches> fromConfig(Map<String, String> config, ClassLoader loader,
                                                   MeterRegistry registry, List<String> problems) {
        String name = config.getOrDefault(KEY, "none").trim();
        List<String> found = new ArrayList<>();
        ProviderConfig embeddings = new ProviderConfig("cache", "embeddings", config);
        ProviderConfig results = new ProviderConfig("cache", "results", config);
        ProviderConfig failure = new ProviderConfig("cache", "failure", config);
        RegionLimits embeddingLimits = limits(embeddings, CacheLimits.DEFAULTS.embeddings());
        RegionLimits resultLimits = limits(results, CacheLimits.DEFAULTS.results());
        Duration retryAfter = failure.duration("retry-after", QueryCaches.DEFAULT_RETRY_AFTER);
        List<ProviderConfig> read = new ArrayList<>(List.of(embeddings, results, failure));

        CacheBackendProvider provider = null;
        ProviderConfig backendConfig = null;
        if (!name.equals("none")) {
            Map<String, CacheBackendProvider> providers;
            try {
                providers = CacheBackends.discover(loader);
            } catch (RagConfigurationException e) {
                providers = Map.of();
                found.addAll(e.problems());
            }
            provider = providers.get(name);
            if (provider == null) {
                found.add("No cache backend named '" + name + "'. Available: " + new java.util.TreeSet<>(
                        (java.util.Collection<String>) providers.keySet()) + " and none."
                        + (name.equals("redis") ? " Add dev.ragkit:rag-cache-redis to the class path." : ""));
            } else {
                backendConfig = new ProviderConfig("cache", name, config);
                read.add(backendConfig);
            }
        }
        for (String key : new java.util.TreeSet<>(config.keySet())) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String section = key.substring(PREFIX.length()).split("\\.", 2)[0];
            boolean ownOrBackend = OWN_SECTIONS.contains(section) || (backendConfig != null && section.equals(name));
            if (!ownOrBackend && (provider != null || name.equals("none"))) {
                found.add(key + " is not a known setting; cache settings are rag.cache, rag.cache.embeddings.max-entries, "
                        + "rag.cache.embeddings.ttl, rag.cache.results.max-entries, rag.cache.results.ttl, "
                        + "rag.cache.failure.retry-after and rag.cache.<backend>.<key>");
            }
        }
        QueryCaches caches = null;
        if (provider != null) {
            CacheBackend backend = null;
            try {
                backend = provider.create(backendConfig, new CacheLimits(embeddingLimits, resultLimits));
            } catch (RagConfigurationException e) {
                found.addAll(e.problems());
            }
            for (ProviderConfig c : read) {
                found.addAll(c.problems());
                c.unreadKeys().forEach(k -> found.add(k + " is not a known setting of the " + name + " cache"));
            }
            if (backend != null) {
                if (found.isEmpty()) {
                    caches = QueryCaches.builder(backend).retryAfter(retryAfter).meterRegistry(registry).build();
                } else {
                    backend.close();
                }
            }
        } else {
            read.forEach(c -> {
                found.addAll(c.problems());
                c.unreadKeys().forEach(k -> found.add(k + " is not a known setting"));
            });
        }
        problems.addAll(found);
        return Optional.ofNullable(caches);
    }

    private static RegionLimits limits(ProviderConfig config, RegionLimits defaults) {
        int maxEntries = config.integer("max-entries", (int) Math.min(Integer.MAX_VALUE, defaults.maxEntries()));
        if (maxEntries < 1) {
            config.problem("max-entries", maxEntries, "must be >= 1");
            maxEntries = (int) defaults.maxEntries();
        }
        Duration ttl = config.duration("ttl", defaults.ttl());
        if (ttl.isZero() || ttl.isNegative()) {
            config.problem("ttl", ttl, "must be positive");
            ttl = defaults.ttl();
        }
        return new RegionLimits(maxEntries, ttl);
    }
}
