package dev.ragkit.embed.onnx;

import static dev.ragkit.testkit.Similarity.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.embed.onnx.internal.OnnxEmbedderProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance kit cannot see: the query prefix, normalisation, batching and errors. */
class OnnxEmbedderTest {
    private static final String BGE_PREFIX = "Represent this sentence for searching relevant passages: ";

    /** An encoder that records every batch it is given and returns non-normalised vectors. */
    private static final class RecordingEncoder implements OnnxEmbedder.Encoder {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<float[]> encode(List<String> texts) {
            calls.add(List.copyOf(texts));
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                float[] v = new float[384];
                v[0] = 3f;
                v[1] = text.length();
                out.add(v);
            }
            return out;
        }
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void bgePrefixGoesToQueriesOnly() {
        RecordingEncoder encoder = new RecordingEncoder();
        OnnxEmbedder embedder = new OnnxEmbedder(OnnxModel.BGE_SMALL_EN_V15_Q, 64, encoder);
        embedder.embedQuery("how are logs rotated?");
        embedder.embedDocuments(List.of("Logs rotate daily.", "Another passage."));
        assertThat(encoder.calls).containsExactly(
                List.of(BGE_PREFIX + "how are logs rotated?"),
                List.of("Logs rotate daily.", "Another passage."));
    }

    @Test
    void miniLmHasNoPrefix() {
        RecordingEncoder encoder = new RecordingEncoder();
        OnnxEmbedder embedder = new OnnxEmbedder(OnnxModel.ALL_MINILM_L6_V2_Q, 64, encoder);
        embedder.embedQuery("how are logs rotated?");
        assertThat(encoder.calls).containsExactly(List.of("how are logs rotated?"));
        assertThat(OnnxModel.ALL_MINILM_L6_V2_Q.queryPrefix()).isEmpty();
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.queryPrefix()).isEqualTo(BGE_PREFIX);
    }

    @Test
    void bothBundledModelsDeclareEnglishOnly() {
        for (OnnxModel model : OnnxModel.values()) {
            OnnxEmbedder embedder = new OnnxEmbedder(model, 4, new RecordingEncoder());
            assertThat(embedder.languages()).as(model.configName()).containsExactly("en");
        }
    }

    @Test
    void documentsAreSplitIntoBatchesInOrder() {
        RecordingEncoder encoder = new RecordingEncoder();
        OnnxEmbedder embedder = new OnnxEmbedder(OnnxModel.ALL_MINILM_L6_V2_Q, 3, encoder);
        List<String> texts = List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg");
        List<float[]> vectors = embedder.embedDocuments(texts);
        assertThat(encoder.calls).containsExactly(texts.subList(0, 3), texts.subList(3, 6), texts.subList(6, 7));
        for (int i = 0; i < texts.size(); i++) {
            // The fake encodes the length in component 1, so order is visible after normalisation.
            float[] v = vectors.get(i);
            assertThat(v[1] / v[0]).as("vector %d", i).isCloseTo(texts.get(i).length() / 3f, within(1e-5f));
            assertThat(norm(v)).as("norm of vector %d", i).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void blankInputIsRejectedBeforeTheModelRuns() {
        RecordingEncoder encoder = new RecordingEncoder();
        OnnxEmbedder embedder = new OnnxEmbedder(OnnxModel.ALL_MINILM_L6_V2_Q, 2, encoder);
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("ok", "fine", "", "late")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("text 2 of 4");
        assertThat(encoder.calls).as("nothing embedded for a batch with a blank text").isEmpty();
    }

    @Test
    void modelFailuresBecomeBackendErrors() {
        OnnxEmbedder failing = new OnnxEmbedder(OnnxModel.BGE_SMALL_EN_V15_Q, 8, texts -> {
            throw new IllegalStateException("ort session broke");
        });
        assertThatThrownBy(() -> failing.embedQuery("q"))
                .isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("bge-small-en-v1.5-q", "ort session broke")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isFalse());
        OnnxEmbedder wrongDimension = new OnnxEmbedder(OnnxModel.ALL_MINILM_L6_V2_Q, 8,
                texts -> texts.stream().map(t -> new float[] {1f, 2f}).toList());
        assertThatThrownBy(() -> wrongDimension.embedDocuments(List.of("x")))
                .isInstanceOf(RagBackendException.class).hasMessageContainingAll("dimension 2", "384");
        OnnxEmbedder nan = new OnnxEmbedder(OnnxModel.ALL_MINILM_L6_V2_Q, 8, texts -> texts.stream().map(t -> {
            float[] v = new float[384];
            v[5] = Float.NaN;
            return v;
        }).toList());
        assertThatThrownBy(() -> nan.embedDocuments(List.of("x")))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("NaN");
    }

    @Test
    void realBgeModelAppliesThePrefixToQueriesOnly() {
        OnnxEmbedder bge = OnnxEmbedder.builder().model(OnnxModel.BGE_SMALL_EN_V15_Q).build();
        String question = "How do I rotate the log files?";
        float[] query = bge.embedQuery(question);
        List<float[]> documents = bge.embedDocuments(List.of(BGE_PREFIX + question, question));
        assertThat(cosine(query, documents.get(0))).as("query vs document with the prefix written out")
                .isCloseTo(1.0, within(1e-5));
        assertThat(cosine(query, documents.get(1))).as("query vs the bare text embedded as a document")
                .isLessThan(0.999);
    }

    @Test
    void realMiniLmQueryEqualsDocument() {
        OnnxEmbedder miniLm = OnnxEmbedder.builder().build();
        assertThat(miniLm.model()).isEqualTo(OnnxModel.ALL_MINILM_L6_V2_Q);
        String text = "How do I rotate the log files?";
        assertThat(cosine(miniLm.embedQuery(text), miniLm.embedDocuments(List.of(text)).get(0)))
                .isCloseTo(1.0, within(1e-5));
    }

    @Test
    void miniLmReadsTheFirst256TokensAsSentenceTransformersDoes() {
        Embedder miniLm = OnnxEmbedder.builder().build();
        // One token per word: "alpha beta gamma ..." repeated; 180 words fit the window, 400 do not.
        String words180 = words(180);
        String words400 = words(400);
        String tail = " completely different ending about cooking pasta and tomato sauce";
        float[] a = miniLm.embedDocuments(List.of(words180)).get(0);
        float[] aWithTail = miniLm.embedDocuments(List.of(words180 + tail)).get(0);
        assertThat(cosine(a, aWithTail)).as("words 129-256 are read").isLessThan(0.9999);
        float[] b = miniLm.embedDocuments(List.of(words400)).get(0);
        float[] bWithTail = miniLm.embedDocuments(List.of(words400 + tail)).get(0);
        assertThat(cosine(b, bWithTail)).as("words after 256 are not").isCloseTo(1.0, within(1e-6));
    }

    private static String words(int n) {
        String[] vocabulary = {"alpha", "beta", "gamma", "delta", "vector", "search", "index", "query"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(vocabulary[i % vocabulary.length]);
        }
        return text.toString();
    }

    @Test
    void realVectorsAreUnitLengthEvenForLongTexts() {
        StringBuilder longText = new StringBuilder();
        for (int i = 0; longText.length() < 6000; i++) {
            longText.append("Sentence number ").append(i).append(" talks about vector search and logging. ");
        }
        for (OnnxModel model : OnnxModel.values()) {
            Embedder embedder = OnnxEmbedder.builder().model(model).executor(Runnable::run).build();
            List<float[]> vectors = embedder.embedDocuments(List.of("short", longText.toString()));
            vectors.add(embedder.embedQuery("Où est la tour Eiffel ?"));
            for (float[] v : vectors) {
                assertThat(v).hasSize(384);
                assertThat(norm(v)).as("norm, %s", model).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void unknownModelNamesTheValidOnes() {
        assertThatThrownBy(() -> OnnxEmbedder.builder().model("e5-small"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("e5-small", "all-minilm-l6-v2-q", "bge-small-en-v1.5-q");
        ProviderConfig config = ProviderConfig.of("embedder", "onnx", Map.of("model", "e5-small"));
        assertThatThrownBy(() -> new OnnxEmbedderProvider().create(config))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll("rag.embedder.onnx.model", "e5-small", "all-minilm-l6-v2-q",
                        "bge-small-en-v1.5-q");
    }

    @Test
    void providerDefaultsToMiniLmAndReadsTheModel() {
        Embedder byDefault = new OnnxEmbedderProvider().create(ProviderConfig.of("embedder", "onnx", Map.of()));
        assertThat(byDefault.id()).isEqualTo("onnx:all-minilm-l6-v2-q");
        assertThat(byDefault.dimension()).isEqualTo(384);
        Embedder bge = new OnnxEmbedderProvider().create(ProviderConfig.of("embedder", "onnx",
                Map.of("model", "bge-small-en-v1.5-q", "threads", "2")));
        assertThat(bge.id()).isEqualTo("onnx:bge-small-en-v1.5-q");
        assertThat(bge.embedDocuments(List.of("one", "two", "three"))).hasSize(3);
    }

    /** Each case in a fresh JVM whose environment the test sets, so the outcome never depends on the caller's. */
    @Test
    void loadingTurnsDjlTelemetryOff(@TempDir Path dir) throws Exception {
        List<String> options = List.of("-Djava.io.tmpdir=" + dir, "-Duser.home=" + dir);
        String unset = ChildJvm.run(options, Map.of(DjlSettings.OPT_OUT_TRACKING, ""), e -> true, "telemetry")
                .requireSuccess().out();
        assertThat(unset).as("host chose nothing: Ragkit opts out")
                .contains("OPT_OUT_TRACKING property=true environment=null");
        String hostEnv = ChildJvm.run(options, Map.of(DjlSettings.OPT_OUT_TRACKING, "false"), e -> true,
                "telemetry").requireSuccess().out();
        assertThat(hostEnv).as("the host's environment variable is left to DJL")
                .contains("OPT_OUT_TRACKING property=null environment=false");
        String hostProperty = ChildJvm.run(List.of("-Djava.io.tmpdir=" + dir, "-Duser.home=" + dir,
                "-D" + DjlSettings.OPT_OUT_TRACKING + "=false"), Map.of(DjlSettings.OPT_OUT_TRACKING, ""), e -> true,
                "telemetry").requireSuccess().out();
        assertThat(hostProperty).as("the host's system property is kept")
                .contains("OPT_OUT_TRACKING property=false environment=null");
    }
}
