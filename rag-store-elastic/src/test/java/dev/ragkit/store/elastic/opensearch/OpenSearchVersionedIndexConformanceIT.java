package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The versioned-index kit against the real OpenSearch node: versions {@code <name>-v<N>} behind the alias
 * {@code <name>}, moved with one {@code _aliases} call, including the crash checks, whose child JVM finds the
 * same node through the harness. Each test's root names its index; its indices are deleted afterwards.
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchVersionedIndexConformanceIT extends VersionedIndexConformanceTest {
    private static final Duration LIVE_REFRESH = Duration.ofMillis(250);
    private String name;

    @Override
    protected VersionedIndex openIndex(Path root) {
        name = OpenSearchTestIndices.indexFor("os-versioned", root);
        return OpenSearchVectorStore.builder().connection(OpenSearchTestIndices.connection()).index(name)
                .liveRefresh(LIVE_REFRESH).versioned();
    }

    @Override
    protected Duration liveRefresh() {
        return LIVE_REFRESH;
    }

    @AfterEach
    void deleteIndices() {
        if (name != null) {
            OpenSearchTestIndices.deleteIndices(name);
        }
    }
}
