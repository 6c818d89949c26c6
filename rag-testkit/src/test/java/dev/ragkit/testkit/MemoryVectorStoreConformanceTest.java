package dev.ragkit.testkit;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;

/** The kit against the reference store, persistent variant: every capability is declared. */
class MemoryVectorStoreConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).build();
    }
}
