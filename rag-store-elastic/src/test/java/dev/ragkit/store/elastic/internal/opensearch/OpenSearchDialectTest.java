package dev.ragkit.store.elastic.internal.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.internal.engine.IndexFields;
import dev.ragkit.store.elastic.internal.engine.Json;
import org.junit.jupiter.api.Test;

/** The OpenSearch dialect's trees: the kNN query shape and the mapping checks (the ITs run them on a node). */
class OpenSearchDialectTest {
    private final OpenSearchDialect dialect = OpenSearchDialect.INSTANCE;

    @Test
    void theFilterGoesInsideTheKnnQueryAndCandidatesBecomeEfSearch() {
        ObjectNode filter = Json.object("term", Json.object().put(IndexFields.DOC_ID, "d1"));
        JsonNode query = dialect.knnQuery(new float[] {0.5f, 1}, 10, 100, filter, OpenSearchEngine.defaultOptions());
        JsonNode field = query.path("knn").path(IndexFields.VECTOR);
        assertThat(field.path("k").asInt()).isEqualTo(10);
        assertThat(field.path("filter")).isEqualTo(filter);
        assertThat(field.path("method_parameters").path("ef_search").asInt()).isEqualTo(100);
        assertThat(Json.toVector(field.path("vector"))).containsExactly(0.5f, 1f);
        assertThat(dialect.knnQuery(new float[] {1}, 50, 20, null, OpenSearchEngine.defaultOptions())
                .path("knn").path(IndexFields.VECTOR).path("method_parameters").path("ef_search").asInt())
                .as("ef_search is never below k").isEqualTo(50);
    }

    @Test
    void itsOwnMappingFitsAndEveryDisagreementNamesBothValues() {
        ObjectNode own = dialect.vectorMapping(8, OpenSearchEngine.defaultOptions());
        assertThat(dialect.vectorMappingProblems(own, 8, OpenSearchEngine.defaultOptions())).isEmpty();
        assertThat(dialect.vectorMappingProblems(own, 16, OpenSearchEngine.defaultOptions()))
                .singleElement().asString().contains("dimension 8").contains("dimension 16");

        ObjectNode innerProduct = own.deepCopy();
        ((ObjectNode) innerProduct.path("method")).put("space_type", "innerproduct");
        assertThat(dialect.vectorMappingProblems(innerProduct, 8, OpenSearchEngine.defaultOptions()))
                .singleElement().asString().contains("'innerproduct'").contains("'cosinesimil'");

        ObjectNode withoutMethod = Json.object().put("type", "knn_vector").put("dimension", 8);
        assertThat(dialect.vectorMappingProblems(withoutMethod, 8, OpenSearchEngine.defaultOptions()))
                .as("a knn_vector without a method compares by l2").singleElement().asString().contains("'l2'");

        assertThat(dialect.vectorMappingProblems(Json.object().put("type", "dense_vector"), 8,
                OpenSearchEngine.defaultOptions())).singleElement().asString().contains("'dense_vector'", "'knn_vector'");
    }

    @Test
    void scoresAreMappedBackToTheCosine() {
        assertThat(dialect.cosine(1.0)).isEqualTo(1.0);
        assertThat(dialect.cosine(0.5)).isEqualTo(0.0);
        assertThat(dialect.cosine(0.75)).isEqualTo(0.5);
    }
}
