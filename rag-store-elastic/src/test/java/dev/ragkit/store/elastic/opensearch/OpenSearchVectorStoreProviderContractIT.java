package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.SearchNodes;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.store.elastic.internal.opensearch.OpenSearchVectorStoreProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract for {@code opensearch} (name, registration, creation, errors naming
 * {@code rag.store.opensearch.*} keys), as an IT: creating the store checks its index on the real node.
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchVectorStoreProviderContractIT extends ProviderContractTest {
    private static final String INDEX = "os-provider-contract";

    @Override
    protected Provider<?> provider() {
        return new OpenSearchVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("url", SearchNodes.opensearch().url(), "index", INDEX, "dimension", "8");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("url");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("vector-index-type", "int8_hnsw", "language", "klingon", "hnsw-m", "1",
                "url", "ftp://search.example", "index", "Upper_Case");
    }

    @AfterEach
    void deleteIndex() {
        OpenSearchTestIndices.deleteIndices(INDEX);
    }
}
