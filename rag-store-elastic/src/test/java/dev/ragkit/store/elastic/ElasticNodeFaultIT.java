package dev.ragkit.store.elastic;

import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.SearchNodes;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Elasticsearch node is stopped in the middle of a bulk ingest: a clear, retriable error; after the node is
 * back, rerunning the ingest leaves exactly the expected chunks ({@link NodeFaultScenario}).
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticNodeFaultIT {
    private static final String INDEX = "fault-it";

    @AfterEach
    void deleteIndex() {
        TestCluster.deleteIndices(INDEX);
    }

    @Test
    void anIngestInterruptedByTheNodeStoppingFailsClearlyAndARerunCompletesExactly() throws Exception {
        IndexOptions options = IndexOptions.defaults().withBulkSize(50);
        NodeFaultScenario.run(SearchNodes.elasticsearch(), "ELASTIC_URL", connection -> ElasticVectorStore.builder()
                .connection(connection).index(INDEX).dimension(NodeFaultScenario.dimension()).options(options).build());
    }
}
