package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ONNX Runtime path must give the vectors of the per-text LangChain4j path (same tokens, same
 * window, same pooling) with one text per call, and close vectors, in order, with padded calls.
 */
class OrtEncoderTest {
    private static final long SEED = 20261123L;
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** English and French texts from a few words to well past 1,024 tokens, in a shuffled order. */
    static List<String> texts() {
        List<String> out = new ArrayList<>(List.of(
                "Hi",
                "Logs rotate daily.",
                "How often do the logs rotate on the production servers?",
                "Les journaux sont archivés chaque nuit à minuit, puis compressés.",
                "Quelle est la durée de conservation des sauvegardes chiffrées ?",
                "Vitamin D deficiency is associated with an increased risk of cardiovascular disease in adults.",
                "L'hôpital a réduit la durée moyenne de séjour grâce à une meilleure coordination des soins.",
                "0-dimensional biomaterials show inductive properties.",
                "Électricité, été, naïveté : les accents ne doivent rien changer au découpage en fenêtres.",
                "The quick brown fox jumps over the lazy dog while the committee deliberates."));
        String[] english = ("the patients cohort randomized trial showed significant reduction mortality risk "
                + "insulin resistance mitochondrial dysfunction inflammatory cytokines antibodies receptor "
                + "signalling pathway tumour suppression hypothesis evidence neuronal plasticity "
                + "unbelievably counterintuitive phosphorylation electroencephalography").split(" ");
        String[] french = ("les patients de la cohorte ont montré une réduction significative du risque "
                + "résistance à l'insuline dysfonctionnement mitochondrial cytokines inflammatoires anticorps "
                + "récepteur voie de signalisation suppression tumorale hypothèse données plasticité neuronale "
                + "incompréhensiblement électroencéphalographie").split(" ");
        Random random = new Random(SEED);
        int[] lengths = {5, 20, 60, 120, 180, 230, 300, 400, 700, 1100};
        for (int length : lengths) {
            for (String[] words : List.of(english, french)) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    text.append(words[random.nextInt(words.length)]).append(i % 17 == 16 ? ". " : " ");
                }
                out.add(text.toString().trim());
            }
        }
        java.util.Collections.shuffle(out, random);
        return out;
    }

    private static List<float[]> reference(OnnxModel model, List<String> texts) {
        return new OnnxEmbedder(model, 64, OnnxEmbedder.langChain4jEncoder(model, Runnable::run)).embedDocuments(texts);
    }

    @ParameterizedTest
    @EnumSource(OnnxModel.class)
    void oneTextPerCallGivesTheLangChain4jVectors(OnnxModel model) {
        List<String> texts = texts();
        List<float[]> expected = reference(model, texts);
        List<float[]> caller = OnnxEmbedder.builder().model(model).threads(1).build().embedDocuments(texts);
        List<float[]> parallel = OnnxEmbedder.builder().model(model).executor(pool).build().embedDocuments(texts);
        List<float[]> byDefault = OnnxEmbedder.builder().model(model).batchSize(7).build().embedDocuments(texts);
        for (int i = 0; i < texts.size(); i++) {
            String what = "seed " + SEED + ", model " + model.configName() + ", text " + i + " ("
                    + texts.get(i).length() + " chars)";
            assertThat(dot(caller.get(i), expected.get(i))).as(what + ", caller").isGreaterThanOrEqualTo(0.9999);
            assertThat(dot(parallel.get(i), expected.get(i))).as(what + ", parallel").isGreaterThanOrEqualTo(0.9999);
            assertThat(dot(byDefault.get(i), expected.get(i))).as(what + ", default").isGreaterThanOrEqualTo(0.9999);
        }
    }

    @ParameterizedTest
    @EnumSource(OnnxModel.class)
    void paddedBatchesStayCloseAndInOrder(OnnxModel model) {
        List<String> texts = texts();
        List<float[]> expected = reference(model, texts);
        // Calls of 4 texts: several calls, sorted by length, run in parallel on the pool.
        List<float[]> batched = OnnxEmbedder.builder().model(model).executor(pool).textsPerModelCall(4).build()
                .embedDocuments(texts);
        assertThat(batched).hasSameSizeAs(texts);
        for (int i = 0; i < texts.size(); i++) {
            String what = "seed " + SEED + ", model " + model.configName() + ", text " + i;
            double own = dot(batched.get(i), expected.get(i));
            // Not equal: the quantized model scales activations per call (see textsPerModelCall).
            assertThat(own).as(what).isGreaterThan(0.97);
            for (int j = 0; j < texts.size(); j++) {
                if (j != i) {
                    assertThat(dot(batched.get(i), expected.get(j))).as(what + " against text " + j).isLessThan(own);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OnnxModel.class)
    void textsAreCutAtTheModelsWindow(OnnxModel model) {
        Embedder embedder = OnnxEmbedder.builder().model(model).threads(1).build();
        int window = model == OnnxModel.ALL_MINILM_L6_V2_Q ? 256 : 512;
        // One token per word plus [CLS] and [SEP]: the second text differs only after the window.
        String start = "cell ".repeat(window - 2);
        String[] vectorsOf = {start + "protein ".repeat(50), start + "galaxy ".repeat(50)};
        List<float[]> vectors = embedder.embedDocuments(List.of(vectorsOf));
        assertThat(dot(vectors.get(0), vectors.get(1))).isGreaterThan(0.99999);
        String shorter = "cell ".repeat(window - 12);
        List<float[]> inside = embedder.embedDocuments(List.of(shorter + "protein ".repeat(50), shorter + "galaxy ".repeat(50)));
        assertThat(dot(inside.get(0), inside.get(1))).isLessThan(0.9999);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
