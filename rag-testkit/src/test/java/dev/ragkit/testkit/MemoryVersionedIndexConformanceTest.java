package dev.ragkit.testkit;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The versioned-index kit against the memory store's provider, as a host configures it. */
class MemoryVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
    @Override
    protected VersionedIndex openIndex(Path root) {
        return ProviderRegistry.discover().store("memory").versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString(), "live-refresh", "50ms"))).orElseThrow();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(50);
    }
}
