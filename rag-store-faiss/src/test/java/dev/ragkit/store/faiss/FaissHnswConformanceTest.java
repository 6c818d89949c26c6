package dev.ragkit.store.faiss;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store kit against FAISS {@code HNSW32}, persisted. HNSW is approximate, so the kit checks recall
 * instead of the exact ranking; a small compaction ratio makes the kit's deletes and replacements
 * exercise graph rebuilds too.
 */
class FaissHnswConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return FaissVectorStore.builder().dimension(dimension).index("HNSW32").compactionRatio(0.1)
                .directory(directory).build();
    }

    @Override
    protected double minRecall() {
        return 0.95;
    }

    @Override
    protected Optional<VectorStore> openStoreReadOnly(int dimension, Path directory) {
        return Optional.of(FaissVectorStore.builder().dimension(dimension).index("HNSW32").compactionRatio(0.1)
                .directory(directory).readOnly(true).build());
    }
}
