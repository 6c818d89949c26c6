package dev.ragkit.store.elastic.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.Calls;
import dev.ragkit.store.elastic.internal.engine.EngineClient;
import dev.ragkit.store.elastic.internal.engine.EngineVectorStore;
import dev.ragkit.store.elastic.internal.engine.IndexFields;
import dev.ragkit.store.elastic.internal.engine.IndexMapping;
import dev.ragkit.store.elastic.internal.engine.Json;
import dev.ragkit.store.elastic.internal.engine.SharedClient;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.store.elastic.internal.opensearch.OpenSearchEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conformance kits do not cover, on the real OpenSearch node: the store's own mapping (lucene
 * engine, cosine, HNSW parameters), refusing an index whose mapping disagrees with the configuration (naming
 * both values), refusing what the lucene engine cannot honour, and bad input rejected before any request.
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchVectorStoreIT {
    @TempDir
    Path directory;

    private String index() {
        return OpenSearchTestIndices.indexFor("os-store", directory);
    }

    @AfterEach
    void deleteIndices() {
        OpenSearchTestIndices.deleteIndices(index());
    }

    private OpenSearchVectorStore.Builder builder(int dimension) {
        return OpenSearchVectorStore.builder().connection(OpenSearchTestIndices.connection()).index(index())
                .dimension(dimension);
    }

    @Test
    void makesALuceneHnswCosineMappingWithTheConfiguredParameters() {
        IndexOptions options = OpenSearchEngine.defaultOptions().withHnsw(24, 200).withLanguage(IndexOptions.ENGLISH);
        try (VectorStore store = builder(6).options(options).build()) {
            assertThat(store.name()).isEqualTo("opensearch");
        }
        String mapping = OpenSearchTestIndices.send("GET", "/" + index() + "/_mapping", null);
        ObjectNode vector = (ObjectNode) Json.read(mapping).path(index()).path("mappings").path("properties")
                .path(IndexFields.VECTOR);
        assertThat(vector.path("type").asText()).isEqualTo("knn_vector");
        assertThat(vector.path("dimension").asInt()).isEqualTo(6);
        assertThat(vector.path("method").path("engine").asText()).isEqualTo("lucene");
        assertThat(vector.path("method").path("space_type").asText()).isEqualTo("cosinesimil");
        assertThat(vector.path("method").path("parameters").path("m").asInt()).isEqualTo(24);
        assertThat(vector.path("method").path("parameters").path("ef_construction").asInt()).isEqualTo(200);
        assertThat(mapping).contains("\"analyzer\":\"english\"");
        assertThat(OpenSearchTestIndices.send("GET", "/" + index() + "/_settings", null)).contains("\"knn\":\"true\"");
    }

    @Test
    void refusesAnIndexOfAnotherDimensionNamingBoth() {
        builder(8).build().close();
        assertThatThrownBy(() -> builder(16).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("dimension 8")
                .hasMessageContaining("dimension 16");
    }

    @Test
    void refusesAnIndexWhoseVectorsAreComparedByAnotherSpaceType() {
        ObjectNode body = IndexMapping.createBody(OpenSearchEngine.dialect(), 4, OpenSearchEngine.defaultOptions());
        ((ObjectNode) body.path("mappings").path("properties").path(IndexFields.VECTOR).path("method"))
                .put("space_type", "l2");
        assertThat(OpenSearchTestIndices.send("PUT", "/" + index(), Json.write(body))).contains("\"acknowledged\":true");
        assertThatThrownBy(() -> builder(4).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("'l2'")
                .hasMessageContaining("'cosinesimil'");
    }

    @Test
    void refusesAnIndexNotMadeByTheStore() {
        OpenSearchTestIndices.send("PUT", "/" + index(), "{\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"}}}}");
        assertThatThrownBy(() -> builder(4).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("not made by Ragkit");
    }

    @Test
    void refusesQuantisedVectorsWhichTheLuceneEngineWouldScoreInexactly() {
        IndexOptions int8 = OpenSearchEngine.defaultOptions().withVectorIndexType("int8_hnsw");
        assertThatThrownBy(() -> builder(4).options(int8).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.store.opensearch.vector-index-type was 'int8_hnsw'");
        assertThat(OpenSearchTestIndices.send("HEAD", "/" + index(), null)).isEmpty();
    }

    @Test
    void rejectsBadInputBeforeAnyRequest() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        ClusterConnection connection = OpenSearchTestIndices.connection();
        EngineClient real = OpenSearchEngine.connect(connection).client();
        EngineClient recording = (EngineClient) Proxy.newProxyInstance(EngineClient.class.getClassLoader(),
                new Class<?>[] {EngineClient.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("describe") && !method.getName().equals("close")) {
                        calls.add(method.getName());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (VectorStore store = EngineVectorStore.open(new SharedClient(recording), OpenSearchEngine.dialect(),
                new Calls("opensearch", OpenSearchVectorStore.CONFIG_PREFIX, connection), index(), 3,
                OpenSearchEngine.defaultOptions(), 0, true)) {
            assertThat(calls).as("opening the store checks and creates the index").contains("createIndex");
            calls.clear();

            // A NaN never reaches a store: the core's EmbeddedChunk refuses it when the chunk is made.
            assertThatThrownBy(() -> chunk("b", 0, 1, Float.NaN, 0))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
            assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, 1, 0, 0), chunk("b", 0, 1, 0))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, 1, 0, 0), chunk("a", 0, 0, 1, 0))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("twice");
            assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, 1, 0, 0), chunk("z", 0, 0, 0, 0))))
                    .as("a zero vector has no cosine").isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {1, 0}, 3)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> store.scan(null, null, 0)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.scan(null, "not-a-cursor", 5)).isInstanceOf(InvalidInputException.class);

            assertThat(calls).as("requests sent for rejected input").isEmpty();
            assertThat(store.count()).isZero();
        }
    }

    private static EmbeddedChunk chunk(String document, int index, float... vector) {
        return new EmbeddedChunk(Chunk.of(document, index, "text of " + document, Map.of()), vector);
    }
}
