package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The store conformance kit against the real OpenSearch 3.5 node (k-NN plugin, lucene engine), every declared
 * capability. Each test's directory names its index, so a reopen finds the same index; the test's indices are
 * deleted afterwards.
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchVectorStoreConformanceIT extends VectorStoreConformanceTest {
    private String index;

    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        index = OpenSearchTestIndices.indexFor("os-conformance", directory);
        return OpenSearchVectorStore.builder().connection(OpenSearchTestIndices.connection()).index(index)
                .dimension(dimension).build();
    }

    @AfterEach
    void deleteIndex() {
        if (index != null) {
            OpenSearchTestIndices.deleteIndices(index);
        }
    }
}
