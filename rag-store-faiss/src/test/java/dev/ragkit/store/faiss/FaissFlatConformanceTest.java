package dev.ragkit.store.faiss;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import java.util.Optional;

/** The store kit against an exact FAISS {@code Flat} index, persisted: exact results are required. */
class FaissFlatConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return FaissVectorStore.builder().dimension(dimension).index("Flat").directory(directory).build();
    }

    @Override
    protected Optional<VectorStore> openStoreReadOnly(int dimension, Path directory) {
        return Optional.of(FaissVectorStore.builder().dimension(dimension).index("Flat").directory(directory)
                .readOnly(true).build());
    }
}
