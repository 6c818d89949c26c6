package dev.ragkit.store.redisearch;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.redisearch.internal.RediSearchVectorStoreProvider;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The versioned-index kit against a real Redis + RediSearch, through the provider as a host configures it:
 * FT indexes {@code idx:<name>:v<N>} behind the alias {@code idx:<name>}. The kit's crash checks kill
 * child JVMs that open the same index on the same server.
 */
class RediSearchVersionedIndexConformanceIT extends VersionedIndexConformanceTest {
    @Override
    protected VersionedIndex openIndex(Path root) {
        return new RediSearchVectorStoreProvider().versioned(ProviderConfig.of("store", "redisearch", Map.of(
                "url", RediSearchServer.shared().url(),
                "index", RediSearchTestStores.nameFor(root),
                "fields", "version",
                "live-refresh", "50ms"))).orElseThrow();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(50);
    }
}
