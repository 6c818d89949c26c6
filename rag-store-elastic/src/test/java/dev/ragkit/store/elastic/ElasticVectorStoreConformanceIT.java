package dev.ragkit.store.elastic;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The store conformance kit against a real Elasticsearch 8.19 node, every declared capability (filter,
 * delete, keyword search, persistence, scan, read vectors). Each test's directory names its index, so a
 * reopen finds the same index; the test's indices are deleted afterwards.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticVectorStoreConformanceIT extends VectorStoreConformanceTest {
    private String prefix;

    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        String index = TestCluster.indexFor("conformance", directory);
        if (prefix == null) {
            prefix = index;
        }
        return ElasticVectorStore.builder().connection(TestCluster.connection()).index(index).dimension(dimension)
                .build();
    }

    @AfterEach
    void deleteIndices() {
        if (prefix != null) {
            TestCluster.deleteIndices(prefix);
        }
    }
}
