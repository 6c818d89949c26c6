package dev.ragkit.store.lucene;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store kit against the Lucene store, persisted, with its defaults (HNSW M 16, beam width 100, dot
 * product of normalised vectors). HNSW is approximate, so the kit checks recall instead of the exact
 * ranking; the damaged-files group runs too (every file of the directory cut, flipped, zeroed, deleted).
 */
class LuceneVectorStoreConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return LuceneVectorStore.builder().dimension(dimension).directory(directory).build();
    }

    @Override
    protected Optional<VectorStore> openStoreReadOnly(int dimension, Path directory) {
        return Optional.of(LuceneVectorStore.builder().dimension(dimension).directory(directory).readOnly(true).build());
    }

    @Override
    protected double minRecall() {
        return 0.95;
    }
}
