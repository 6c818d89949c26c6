package dev.ragkit.store.lucene;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;

/**
 * The store kit against the Lucene store on the heap (no directory, so no PERSISTENCE), with cosine
 * similarity on the vectors as written and 7-bit quantised HNSW: the other settings' code paths.
 */
class LuceneInMemoryConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return LuceneVectorStore.builder().dimension(dimension).similarity(LuceneVectorStore.Similarity.COSINE)
                .quantization(LuceneVectorStore.Quantization.INT7).analysis(TextAnalysis.FRENCH).build();
    }

    @Override
    protected double minRecall() {
        return 0.95;
    }
}
