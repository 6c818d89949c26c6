package dev.ragkit.testkit;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;

/**
 * The kit against the reference store without a directory: PERSISTENCE is not declared, so the kit's
 * persistence group checks only that flush is harmless.
 */
class MemoryVectorStoreWithoutDirectoryConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return MemoryVectorStore.builder().dimension(dimension).build();
    }
}
