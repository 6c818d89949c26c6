package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.internal.ElasticVectorStoreProvider;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider contract of {@code elastic} (name, registration, creation, key-naming errors), creating stores on
 * the real node, plus: every problem of a configuration is reported at once, and a secret is never echoed.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticVectorStoreProviderContractIT extends ProviderContractTest {
    private static final String INDEX = "provider-it";

    @Override
    protected Provider<?> provider() {
        return new ElasticVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("url", TestCluster.url(), "index", INDEX, "dimension", "8");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("url");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("url", "ftp://127.0.0.1:9200", "language", "klingon", "hnsw-m", "1", "retries", "-2",
                "vector-index-type", "ivf", "num-candidates", "20000", "socket-timeout", "soon", "index", "Upper");
    }

    @AfterEach
    void deleteIndex() {
        TestCluster.deleteIndices(INDEX);
    }

    @Test
    void everyProblemIsReportedAtOnceWithoutTheSecrets() {
        Map<String, String> config = new LinkedHashMap<>(validConfig());
        config.put("api-key", "c2VjcmV0");
        config.put("username", "ingest");
        config.put("password", "hunter2-secret");
        config.put("bulk-size", "0");
        config.put("ca-file", "/no/such/ca.pem");
        assertThatThrownBy(() -> new ElasticVectorStoreProvider().create(ProviderConfig.of("store", "elastic", config)))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).hasSize(3))
                .hasMessageContainingAll("rag.store.elastic.username", "rag.store.elastic.bulk-size",
                        "rag.store.elastic.ca-file")
                .hasMessageNotContaining("hunter2-secret").hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void versionedNeedsNoDimensionAndCreatesNothingUntilAVersionIs() {
        Optional<VersionedIndex> index = new ElasticVectorStoreProvider().versioned(ProviderConfig.of("store",
                "elastic", Map.of("url", TestCluster.url(), "index", INDEX)));
        assertThat(index).isPresent();
        try (VersionedIndex versions = index.get()) {
            assertThat(versions.versions()).isEmpty();
            assertThat(versions.live()).isEmpty();
        }
        assertThat(TestCluster.send("GET", "/_cat/indices/" + INDEX + "*?h=index", null).trim()).isEmpty();
    }
}
