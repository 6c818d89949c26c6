package dev.ragkit.testkit;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;
import java.util.Optional;

/** The kit against the reference store, persistent variant: every capability is declared. */
class MemoryVectorStoreConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).build();
    }

    @Override
    protected Optional<VectorStore> openStoreReadOnly(int dimension, Path directory) {
        return Optional.of(MemoryVectorStore.builder().dimension(dimension).directory(directory).readOnly(true).build());
    }
}
