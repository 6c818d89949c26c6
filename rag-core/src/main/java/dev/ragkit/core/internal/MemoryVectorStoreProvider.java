package dev.ragkit.core.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;

/**
 * Provider {@code memory}: keys {@code dimension} (required; the assembler sets it), {@code directory}
 * and {@code read-only} ({@code true} opens the directory's last committed state without writing).
 */
public final class MemoryVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        Path directory = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        if (readOnly && directory == null) {
            config.problem("read-only", true, "needs " + config.fullKey("directory"));
        }
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).readOnly(readOnly).build();
    }
}
