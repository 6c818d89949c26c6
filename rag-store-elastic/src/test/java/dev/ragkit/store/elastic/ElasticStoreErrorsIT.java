package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The errors a user meets, against a real node: an existing index whose mapping disagrees (dimension,
 * similarity, not made by Ragkit) is refused naming both values; a missing index when creation is off; an
 * index deleted under an open store; a server that is not there; bad input rejected before any request.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticStoreErrorsIT {
    private static final String PREFIX = "errors-it";

    @AfterEach
    void deleteIndices() {
        TestCluster.deleteIndices(PREFIX);
    }

    private static ElasticVectorStore.Builder builder(String index, int dimension) {
        return ElasticVectorStore.builder().connection(TestCluster.connection()).index(index).dimension(dimension);
    }

    @Test
    void anIndexOfAnotherDimensionIsRefusedNamingBoth() {
        builder(PREFIX + "-dims", 8).build().close();
        assertThatThrownBy(() -> builder(PREFIX + "-dims", 16).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll(PREFIX + "-dims", "dimension 8", "dimension 16");
    }

    @Test
    void anIndexWithAnotherSimilarityOrNotMadeByRagkitIsRefused() {
        TestCluster.send("PUT", "/" + PREFIX + "-dot", """
                {"mappings": {"_meta": {"ragkit_format": 1}, "properties": {"vector": {"type": "dense_vector",
                 "dims": 8, "index": true, "similarity": "dot_product"}}}}""");
        assertThatThrownBy(() -> builder(PREFIX + "-dot", 8).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContainingAll("dot_product", "cosine");
        TestCluster.send("PUT", "/" + PREFIX + "-foreign", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
        assertThatThrownBy(() -> builder(PREFIX + "-foreign", 8).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("not made by Ragkit");
    }

    @Test
    void aMissingIndexIsNamedWhenCreationIsOff() {
        assertThatThrownBy(() -> builder(PREFIX + "-absent", 8).createIndex(false).build())
                .isInstanceOf(RagBackendException.class).hasMessageContainingAll(PREFIX + "-absent", "does not exist");
    }

    @Test
    void anIndexDeletedUnderAnOpenStoreIsNamed() {
        try (VectorStore store = builder(PREFIX + "-deleted", 2).build()) {
            TestCluster.send("DELETE", "/" + PREFIX + "-deleted", null);
            assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {1, 0}, 3)))
                    .isInstanceOf(RagBackendException.class)
                    .hasMessageContainingAll(PREFIX + "-deleted", "does not exist");
            assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void anUnreachableServerIsNamedWithTheKeyToFix() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ClusterConnection nowhere = ClusterConnection.builder().url("http://127.0.0.1:" + port)
                .retries(1, Duration.ofMillis(10)).build();
        assertThatThrownBy(() -> ElasticVectorStore.builder().connection(nowhere).index(PREFIX + "-x").dimension(2)
                .build())
                .isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("cannot reach", "127.0.0.1:" + port, "rag.store.elastic.url", "after 1 retry")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isTrue());
    }

    @Test
    void badInputWritesNothing() {
        try (VectorStore store = builder(PREFIX + "-input", 3).build()) {
            EmbeddedChunk good = new EmbeddedChunk(Chunk.of("good", 0, "fine", Map.of()), new float[] {1, 0, 0});
            EmbeddedChunk zero = new EmbeddedChunk(Chunk.of("zero", 0, "no direction", Map.of()), new float[] {0, 0, 0});
            EmbeddedChunk shorter = new EmbeddedChunk(Chunk.of("short", 0, "too short", Map.of()), new float[] {1, 0});
            assertThatThrownBy(() -> store.upsert(List.of(good, zero))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("zero vector");
            assertThatThrownBy(() -> store.upsert(List.of(good, shorter))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContainingAll("short#0", "dimension 2");
            assertThat(store.count()).isZero();
            assertThat(store.get(List.of("good#0"))).isEmpty();
        }
    }
}
