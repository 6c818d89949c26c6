package dev.ragkit.store.lucene;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.lucene.internal.LuceneVectorStoreProvider;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The versioned-index kit against the Lucene provider (a Lucene index per version directory), as a host configures it. */
class LuceneVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
    @Override
    protected VersionedIndex openIndex(Path root) {
        return new LuceneVectorStoreProvider().versioned(ProviderConfig.of("store", "lucene",
                Map.of("directory", root.toString(), "live-refresh", "50ms"))).orElseThrow();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(50);
    }
}
