package dev.ragkit.store.elastic.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input is refused before any request leaves the store: the client records every call, and after the
 * store opened (two calls: exists, mapping) none may follow a rejected write, search or scan.
 */
class EngineVectorStoreInputTest {
    private static final int DIMENSION = 4;
    private RecordingClient client;
    private EngineVectorStore store;

    @BeforeEach
    void open() {
        TestDialect dialect = new TestDialect();
        client = new RecordingClient(dialect, DIMENSION);
        Calls calls = new Calls("test", "rag.store.test", ClusterConnection.builder().url("http://127.0.0.1:1")
                .retries(2, Duration.ofMillis(1)).build());
        store = EngineVectorStore.open(new SharedClient(client), dialect, calls, "test-index", DIMENSION,
                IndexOptions.defaults(), 0, true);
        assertThat(client.calls).containsExactly("exists", "mapping");
        client.calls.clear();
    }

    private static EmbeddedChunk chunk(String doc, float... vector) {
        return new EmbeddedChunk(Chunk.of(doc, 0, "text of " + doc, Map.of()), vector);
    }

    @Test
    void wrongDimensionAnywhereInTheBatchSendsNothing() {
        assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 1, 0, 0, 0), chunk("b", 1, 0, 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContainingAll("'b#0'", "dimension 3", "4");
        assertThat(client.calls).isEmpty();
    }

    @Test
    void zeroVectorIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, 0, 0, 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
        assertThat(client.calls).isEmpty();
    }

    @Test
    void nanIsRefusedByTheValueTypesAndNeverReachesTheStore() {
        assertThatThrownBy(() -> chunk("a", 1, Float.NaN, 0, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {Float.NaN, 0, 0, 1}, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThat(client.calls).isEmpty();
    }

    @Test
    void duplicateAndOverlongIdsAreRefused() {
        assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 1, 0, 0, 0), chunk("a", 0, 1, 0, 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("a#0");
        String longDoc = "d".repeat(600);
        assertThatThrownBy(() -> store.upsert(List.of(chunk(longDoc, 1, 0, 0, 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("512");
        assertThat(client.calls).isEmpty();
    }

    @Test
    void wrongQueryDimensionBadScanLimitAndForeignCursorSendNothing() {
        assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {1, 0, 0}, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> store.scan(null, null, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> store.scan(null, "not-a-cursor", 5)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not-a-cursor");
        assertThat(client.calls).isEmpty();
    }

    @Test
    void retriableFailuresAreRetriedThenReportedWithTheUrl() {
        client.failures.add(EngineException.status(503, "unavailable_shards_exception", "busy", null));
        assertThat(store.count()).isEqualTo(7);
        assertThat(client.calls).containsExactly("count", "count");

        client.calls.clear();
        for (int i = 0; i < 3; i++) {
            client.failures.add(EngineException.status(429, "es_rejected_execution_exception", "queue full", null));
        }
        assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("http://127.0.0.1:1", "429", "after 2 retries")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isTrue());
        assertThat(client.calls).hasSize(3);
    }

    @Test
    void permanentFailuresAreNotRetried() {
        client.failures.add(EngineException.status(401, "security_exception", "unable to authenticate", null));
        assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("refused the credentials", "rag.store.test.api-key")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isFalse());
        assertThat(client.calls).containsExactly("count");
    }

    @Test
    void aClosedStoreRefusesAndReleasesItsClient() {
        store.close();
        assertThat(client.calls).containsExactly("close");
        assertThatThrownBy(store::count).hasMessageContaining("closed");
    }
}
