package dev.ragkit.store.faiss;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;

/**
 * The kit against FAISS HNSW wrapped the way the assembly wraps it for hybrid retrieval: core's BM25
 * sidecar adds KEYWORD_SEARCH, rebuilt from a scan of the persisted store on every open.
 */
class FaissWithBm25SidecarConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return Bm25SidecarStore.wrapIfNeeded(
                FaissVectorStore.builder().dimension(dimension).index("HNSW32").directory(directory).build(),
                TextAnalyzer.frenchEnglish());
    }

    @Override
    protected double minRecall() {
        return 0.95;
    }
}
