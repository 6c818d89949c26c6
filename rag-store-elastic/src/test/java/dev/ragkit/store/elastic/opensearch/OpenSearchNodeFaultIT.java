package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.NodeFaultScenario;
import dev.ragkit.store.elastic.internal.opensearch.OpenSearchEngine;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.SearchNodes;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenSearch node is stopped in the middle of a bulk ingest: a clear, retriable error; after the node is
 * back, rerunning the ingest leaves exactly the expected chunks ({@link NodeFaultScenario}, as for
 * Elasticsearch).
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchNodeFaultIT {
    private static final String INDEX = "os-fault-it";

    @AfterEach
    void deleteIndex() {
        OpenSearchTestIndices.deleteIndices(INDEX);
    }

    @Test
    void anIngestInterruptedByTheNodeStoppingFailsClearlyAndARerunCompletesExactly() throws Exception {
        IndexOptions options = OpenSearchEngine.defaultOptions().withBulkSize(50);
        NodeFaultScenario.run(SearchNodes.opensearch(), "OPENSEARCH_URL", connection -> OpenSearchVectorStore.builder()
                .connection(connection).index(INDEX).dimension(NodeFaultScenario.dimension()).options(options).build());
    }
}
