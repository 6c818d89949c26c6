package dev.ragkit.store.faiss;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.faiss.internal.FaissVectorStoreProvider;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The versioned-index kit against the FAISS provider (HNSW32 versions), as a host configures it. */
class FaissVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
    @Override
    protected VersionedIndex openIndex(Path root) {
        return new FaissVectorStoreProvider().versioned(ProviderConfig.of("store", "faiss",
                Map.of("directory", root.toString(), "live-refresh", "50ms"))).orElseThrow();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(50);
    }
}
