package dev.ragkit.llm.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.llm.http.StubServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both embedding wire formats, batching, validation and status handling against stubs. */
class HfEmbedderTest {
    private static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    private static final String FEATURES = "/hf-inference/models/" + MODEL + "/pipeline/feature-extraction";
    private static final String OPENAI = "/v1/embeddings";

    private final StubServer server = StubServer.start();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        server.close();
    }

    private HfEmbedder.Builder hf() {
        return HfEmbedder.builder().apiBase(server.url() + "/hf-inference/models").token(HfFake.TOKEN).model(MODEL)
                .retries(2).backoff(Duration.ofMillis(10), Duration.ofMillis(40)).jitterSeed(3).sleeper(waits::add);
    }

    @Test
    void featureExtractionBatchesWithTokenAndKeepsOrder() throws Exception {
        server.otherwise(FEATURES, HfFake.featureExtraction(HfFake.TOKEN));
        HfEmbedder e = hf().batchSize(2).documentPrefix("passage: ").queryPrefix("query: ").build();
        List<String> texts = List.of("un", "deux", "trois");

        List<float[]> vectors = e.embedDocuments(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(HfFake.vector("passage: " + texts.get(i)));
        }
        assertThat(server.requests(FEATURES)).hasSize(2);
        assertThat(server.requests(FEATURES).get(0).body()).isEqualTo("{\"inputs\":[\"passage: un\",\"passage: deux\"]}");
        assertThat(server.requests(FEATURES).get(0).header("Authorization")).isEqualTo("Bearer " + HfFake.TOKEN);
        assertThat(e.embedQuery("où")).containsExactly(HfFake.vector("query: où"));
        assertThat(e.dimension()).isEqualTo(HfFake.DIMENSION);
        assertThat(e.id()).startsWith("hf:" + MODEL);
    }

    @Test
    void openAiEmbeddingsAreReorderedByIndex() {
        server.otherwise(OPENAI, HfFake.openAiEmbeddings());
        HfEmbedder e = HfEmbedder.openAiCompatible().apiBase(server.url() + "/v1").model("text-embedding-3-small")
                .build();
        List<String> texts = List.of("alpha", "beta", "gamma");

        List<float[]> vectors = e.embedDocuments(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(HfFake.vector(texts.get(i)));
        }
        assertThat(e.id()).isEqualTo("openai-compatible:text-embedding-3-small");
        assertThat(server.requests(OPENAI).get(0).header("Authorization")).isNull();
    }

    @Test
    void tokenLevelOutputIsRejectedWithAHint() {
        server.otherwise(FEATURES, StubServer.json(200, "[[[0.1,0.2],[0.3,0.4]]]"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> hf().build().embedQuery("x"));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("one vector per token");
    }

    @Test
    void wrongCountOrDimensionIsMalformed() {
        server.then(FEATURES, StubServer.json(200, "[[0.1,0.2]]"));
        HfEmbedder e = hf().dimension(2).build();
        assertThatThrownBy(() -> e.embedDocuments(List.of("a", "b"))).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("expected an array of 2 vectors but got 1 elements");
        server.then(FEATURES, StubServer.json(200, "[[0.1,0.2,0.3]]"));
        assertThatThrownBy(() -> e.embedQuery("a")).hasMessageContaining("has 3 dimensions but the embedder's dimension is 2");
        server.then(FEATURES, StubServer.json(200, "[[0.1,null]]"));
        assertThatThrownBy(() -> e.embedQuery("a")).hasMessageContaining("not a finite number");
    }

    @Test
    void modelLoadingIsRetriedAfterTheEstimatedTime() {
        server.then(FEATURES, StubServer.json(503, "{\"error\":\"Model " + MODEL + " is currently loading\",\"estimated_time\":2.0}"))
                .otherwise(FEATURES, HfFake.featureExtraction(HfFake.TOKEN));

        float[] v = hf().build().embedQuery("hello");

        assertThat(v).containsExactly(HfFake.vector("hello"));
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void unauthorizedIsPermanent() {
        server.otherwise(FEATURES, HfFake.featureExtraction(HfFake.TOKEN));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> hf().token("hf_wrong").build().embedQuery("hello"));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 401").doesNotContain("hf_wrong");
        assertThat(server.requests(FEATURES)).hasSize(1);
    }

    @Test
    void blankInputIsRejectedBeforeAnyCall() {
        HfEmbedder e = hf().dimension(3).build();
        assertThatThrownBy(() -> e.embedDocuments(List.of("ok", ""))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("texts[1]");
        assertThatThrownBy(() -> e.embedQuery(null)).isInstanceOf(InvalidInputException.class);
        assertThat(server.requests()).isEmpty();
    }
}
