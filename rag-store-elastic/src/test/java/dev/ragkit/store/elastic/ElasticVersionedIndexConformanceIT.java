package dev.ragkit.store.elastic;

import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The versioned-index conformance kit against a real Elasticsearch 8.19 node: versions {@code <name>-vN}
 * behind the alias {@code <name>}, promote and rollback through {@code _aliases}, the catalog in
 * {@code <name>-ragkit-meta}, and the crash checks, whose killed child JVMs use the same node.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticVersionedIndexConformanceIT extends VersionedIndexConformanceTest {
    private String name;

    @Override
    protected VersionedIndex openIndex(Path root) {
        String index = TestCluster.indexFor("versioned", root);
        if (name == null) {
            name = index;
        }
        return ElasticVectorStore.builder().connection(TestCluster.connection()).index(index)
                .liveRefresh(liveRefresh()).versioned();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(200);
    }

    @AfterEach
    void deleteIndices() {
        if (name != null) {
            TestCluster.deleteIndices(name);
        }
    }
}
