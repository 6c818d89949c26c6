package dev.ragkit.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.llm.http.StubServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching, validation and status handling of {@link OllamaEmbedder} against a stub Ollama. */
class OllamaEmbedderTest {
    private static final String EMBED = "/api/embed";

    private final StubServer server = StubServer.start();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        server.close();
    }

    private OllamaEmbedder.Builder embedder() {
        return OllamaEmbedder.builder().baseUrl(server.url()).model("nomic-embed-text").retries(2)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).jitterSeed(7).sleeper(waits::add);
    }

    private List<JsonNode> sentInputs() {
        return server.requests(EMBED).stream().map(r -> {
            try {
                return OllamaFake.JSON.readTree(r.body()).path("input");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void batchesKeepOrderAndApplyPrefixes() {
        server.otherwise(EMBED, OllamaFake.embed());
        OllamaEmbedder e = embedder().batchSize(2).dimension(OllamaFake.DIMENSION).documentPrefix("search_document: ")
                .queryPrefix("search_query: ").keepAlive("1m").build();
        List<String> texts = List.of("one", "two", "three", "four", "five");

        List<float[]> vectors = e.embedDocuments(texts);

        assertThat(vectors).hasSize(5);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(OllamaFake.vector("search_document: " + texts.get(i)));
        }
        assertThat(sentInputs()).hasSize(3);
        assertThat(sentInputs().get(0).toString()).isEqualTo("[\"search_document: one\",\"search_document: two\"]");
        assertThat(sentInputs().get(2).toString()).isEqualTo("[\"search_document: five\"]");
        assertThat(e.embedQuery("where")).containsExactly(OllamaFake.vector("search_query: where"));
        assertThat(e.id()).startsWith("ollama:nomic-embed-text").contains("search_query: ");
    }

    @Test
    void dimensionIsProbedOnceWhenNotConfigured() {
        server.otherwise(EMBED, OllamaFake.embed());
        OllamaEmbedder e = embedder().build();

        assertThat(e.dimension()).isEqualTo(OllamaFake.DIMENSION);
        assertThat(e.dimension()).isEqualTo(OllamaFake.DIMENSION);
        assertThat(server.requests(EMBED)).hasSize(1);
        assertThat(e.id()).isEqualTo("ollama:nomic-embed-text");
    }

    @Test
    void wrongVectorCountOrLengthIsMalformed() {
        server.then(EMBED, StubServer.json(200, "{\"model\":\"m\",\"embeddings\":[[0.1,0.2]]}"));
        OllamaEmbedder e = embedder().dimension(2).build();
        RagBackendException count = catchThrowableOfType(RagBackendException.class,
                () -> e.embedDocuments(List.of("a", "b")));
        assertThat(count.retriable()).isFalse();
        assertThat(count.getMessage()).contains("expected \"embeddings\" with 2 vectors but got 1");

        server.then(EMBED, StubServer.json(200, "{\"model\":\"m\",\"embeddings\":[[0.1,0.2,0.3]]}"));
        assertThatThrownBy(() -> e.embedQuery("a")).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("has 3 dimensions but the embedder's dimension is 2");

        server.then(EMBED, StubServer.json(200, "{\"model\":\"m\",\"embeddings\":[[0.1,\"x\"]]}"));
        assertThatThrownBy(() -> e.embedQuery("a")).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("not a finite number");
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() {
        server.then(EMBED, StubServer.json(500, "{\"error\":\"llama runner process has terminated\"}"))
                .then(EMBED, StubServer.json(429, "{\"error\":\"busy\"}", "Retry-After", "1"))
                .otherwise(EMBED, OllamaFake.embed());

        float[] v = embedder().build().embedQuery("hello");

        assertThat(v).containsExactly(OllamaFake.vector("hello"));
        assertThat(waits).hasSize(2);
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void unknownModelIsPermanentAndNotRetried() {
        server.otherwise(EMBED, StubServer.json(404, "{\"error\":\"model \\\"nosuch\\\" not found, try pulling it first\"}"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> embedder().model("nosuch").build().embedQuery("hello"));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 404").contains("nosuch");
        assertThat(server.requests(EMBED)).hasSize(1);
    }

    @Test
    void persistentFailureIsRetriable() {
        server.otherwise(EMBED, StubServer.json(503, "{\"error\":\"overloaded\"}"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> embedder().build().embedDocuments(List.of("a")));

        assertThat(e.retriable()).isTrue();
        assertThat(server.requests(EMBED)).hasSize(3);
    }

    @Test
    void blankInputIsRejectedBeforeAnyCall() {
        OllamaEmbedder e = embedder().dimension(4).build();
        assertThatThrownBy(() -> e.embedDocuments(List.of("ok", " "))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("texts[1]");
        assertThatThrownBy(() -> e.embedQuery("")).isInstanceOf(InvalidInputException.class);
        assertThat(e.embedDocuments(List.of())).isEmpty();
        assertThat(server.requests()).isEmpty();
    }
}
