package dev.ragkit.testkit;

import static dev.ragkit.testkit.Similarity.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.ScoredQuery;
import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link Embedder} must meet. An adapter's tests extend this class and implement
 * {@link #createEmbedder()}:
 *
 * <pre>{@code
 * class OnnxEmbedderConformanceTest extends EmbedderConformanceTest {
 *     protected Embedder createEmbedder() {
 *         return OnnxEmbedder.builder().model("all-minilm-l6-v2-q").build();
 *     }
 * }
 * }</pre>
 *
 * <p>The embedder is created once per test class (models are slow to load) and closed afterwards;
 * the lifecycle check creates and closes one more. Every failure starts with the contract it checks
 * ({@code Contract broken: EmbedderConformanceTest > <check> [<method>]}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ContractFailures.class)
public abstract class EmbedderConformanceTest {
    private static final double SAME_VECTOR_TOLERANCE = 1e-5;
    private static final double BATCH_COSINE_TOLERANCE = 1e-4;
    private static final long THREAD_TIMEOUT_SECONDS = 300;

    private Embedder embedder;

    /**
     * Creates the embedder under test: once for the whole class, and once more for the lifecycle check,
     * which closes it, so each call must return a new instance.
     */
    protected abstract Embedder createEmbedder();

    /**
     * Whether the semantic sanity checks (a query is nearer its answer than an unrelated passage, in
     * English and French) apply. Turn off only for embedders with no meaning, such as test fakes.
     */
    protected boolean checksSemantics() {
        return true;
    }

    /** The embedder under test, created on first use. */
    protected final Embedder embedder() {
        if (embedder == null) {
            embedder = createEmbedder();
            assertThat(embedder).as("createEmbedder() result").isNotNull();
        }
        return embedder;
    }

    /**
     * Whether the embedder stays usable after {@link Embedder#close()}, as its documentation must then
     * say (an embedder holding nothing to release); false by default, and then every call after close
     * must fail with an exception whose message says it is closed.
     */
    protected boolean usableAfterClose() {
        return false;
    }

    @AfterAll
    void closeEmbedder() {
        if (embedder != null) {
            embedder.close();
        }
    }

    @Test
    @DisplayName("close is idempotent, and calls after close fail saying so unless documented as allowed")
    void closeIsIdempotentAndUseAfterCloseIsClear() {
        Embedder fresh = createEmbedder();
        assertThat(fresh).as("createEmbedder() result for the lifecycle check").isNotNull().isNotSameAs(embedder);
        try {
            assertThat(fresh.embedQuery("before close")).as("embedQuery before close").hasSize(fresh.dimension());
        } finally {
            fresh.close();
        }
        assertThatCode(fresh::close).as("a second close() must do nothing").doesNotThrowAnyException();
        if (usableAfterClose()) {
            assertThat(fresh.embedQuery("after close")).as("embedQuery after close (usableAfterClose() is true)")
                    .hasSize(fresh.dimension());
        } else {
            String hint = " (or override usableAfterClose() when the embedder documents that it stays usable)";
            assertThatThrownBy(() -> fresh.embedQuery("after close"),
                    "embedQuery after close() must fail saying the embedder is closed" + hint)
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> fresh.embedDocuments(List.of("after close")),
                    "embedDocuments after close() must fail saying the embedder is closed" + hint)
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("closed");
        }
    }

    private static void assertSameVector(float[] actual, float[] expected, double tolerance, String what) {
        assertThat(actual).as(what + ": length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s: component %d", what, i)
                    .isCloseTo(expected[i], within(tolerance));
        }
    }

    private static final List<String> TEXTS = List.of(
            "The Eiffel Tower is in Paris.",
            "La tour Eiffel se trouve à Paris.",
            "Photosynthesis converts light into chemical energy.",
            "Java records are immutable data carriers.",
            "Le chat dort sur le canapé du salon.",
            "Short.",
            "A somewhat longer passage that talks about retrieval-augmented generation, vector stores, "
                    + "embeddings and the way a question finds the passages that answer it.");

    @Test
    @DisplayName("id is non-blank and stable")
    void idIsNonBlank() {
        assertThat(embedder().id()).as("id").isNotBlank().isEqualTo(embedder().id());
    }

    @Test
    @DisplayName("dimension is positive and every vector has that length")
    void dimensionMatchesVectors() {
        int dimension = embedder().dimension();
        assertThat(dimension).as("dimension").isPositive();
        assertThat(embedder().embedDocuments(TEXTS)).as("document vectors")
                .allSatisfy(v -> assertThat(v).hasSize(dimension));
        assertThat(embedder().embedQuery("Where is the Eiffel Tower?")).as("query vector").hasSize(dimension);
    }

    @Test
    @DisplayName("embedDocuments keeps the size and order of its input")
    void embedDocumentsKeepsOrder() {
        List<float[]> vectors = embedder().embedDocuments(TEXTS);
        assertThat(vectors).as("vectors").hasSameSizeAs(TEXTS);
        List<String> reversed = new ArrayList<>(TEXTS);
        java.util.Collections.reverse(reversed);
        List<float[]> reversedVectors = embedder().embedDocuments(reversed);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(cosine(reversedVectors.get(TEXTS.size() - 1 - i), vectors.get(i)))
                    .as("vector of '%s' in reversed input", TEXTS.get(i))
                    .isCloseTo(1.0, within(BATCH_COSINE_TOLERANCE));
        }
        // Distinct texts must not all come back as one vector (a sign of returning the first one only).
        assertThat(cosine(vectors.get(2), vectors.get(3))).as("cosine of two unrelated texts").isLessThan(0.9999);
    }

    @Test
    @DisplayName("an empty list gives an empty list")
    void emptyListGivesEmptyList() {
        assertThat(embedder().embedDocuments(List.of())).as("vectors of no texts").isEmpty();
    }

    @Test
    @DisplayName("the same text twice gives the same vector")
    void deterministic() {
        float[] first = embedder().embedDocuments(List.of(TEXTS.get(0))).get(0);
        float[] second = embedder().embedDocuments(List.of(TEXTS.get(0))).get(0);
        assertSameVector(second, first, SAME_VECTOR_TOLERANCE, "second embedding of the same text");
        List<float[]> twiceInOneBatch = embedder().embedDocuments(List.of(TEXTS.get(4), TEXTS.get(4)));
        assertSameVector(twiceInOneBatch.get(1), twiceInOneBatch.get(0), SAME_VECTOR_TOLERANCE,
                "the same text twice in one batch");
        assertSameVector(embedder().embedQuery("Where is the Eiffel Tower?"),
                embedder().embedQuery("Where is the Eiffel Tower?"), SAME_VECTOR_TOLERANCE, "the same query twice");
    }

    @Test
    @DisplayName("embedQueryScored gives embedQuery's vector and a probability for each query head, no other score")
    void scoredQueryMatchesEmbedQuery() {
        String query = "Where is the Eiffel Tower?";
        ScoredQuery scored = embedder().embedQueryScored(query);
        assertSameVector(scored.vector(), embedder().embedQuery(query), SAME_VECTOR_TOLERANCE, "embedQueryScored's vector");
        assertThat(scored.scores().keySet()).as("the scores of embedQueryScored are those of queryHeads()")
                .isEqualTo(embedder().queryHeads());
        scored.scores().forEach((head, score) -> assertThat(score).as("score of query head %s", head).isBetween(0.0, 1.0));
    }

    @Test
    @DisplayName("a batch gives the same vectors as texts embedded one by one")
    void batchEqualsOneByOne() {
        List<float[]> batch = embedder().embedDocuments(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] single = embedder().embedDocuments(List.of(TEXTS.get(i))).get(0);
            assertThat(cosine(batch.get(i), single)).as("cosine of batch and single vector of '%s'", TEXTS.get(i))
                    .isCloseTo(1.0, within(BATCH_COSINE_TOLERANCE));
        }
    }

    @Test
    @DisplayName("every component is finite and no vector is zero")
    void vectorsAreFinite() {
        List<float[]> vectors = new ArrayList<>(embedder().embedDocuments(TEXTS));
        vectors.add(embedder().embedQuery("Où se trouve la tour Eiffel ?"));
        for (float[] v : vectors) {
            double norm = 0;
            for (int i = 0; i < v.length; i++) {
                assertThat(Float.isFinite(v[i])).as("component %d of %s is finite", i, Arrays.toString(v)).isTrue();
                norm += (double) v[i] * v[i];
            }
            assertThat(norm).as("squared norm").isPositive();
        }
    }

    @Test
    @DisplayName("null or blank text is rejected with InvalidInputException")
    void blankTextRejected() {
        assertThatThrownBy(() -> embedder().embedDocuments(List.of("fine", "  ")),
                "embedDocuments with a blank text must throw InvalidInputException")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> embedder().embedDocuments(List.of("")),
                "embedDocuments with an empty text must throw InvalidInputException")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> embedder().embedDocuments(Arrays.asList("fine", null)),
                "embedDocuments with a null text must throw InvalidInputException")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> embedder().embedQuery(" \n\t"),
                "embedQuery of a blank query must throw InvalidInputException")
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> embedder().embedQuery(null), "embedQuery of null must throw InvalidInputException")
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("embedQuery returns a vector of the embedder's dimension")
    void embedQueryWorks() {
        float[] query = embedder().embedQuery("What does photosynthesis produce?");
        assertThat(query).as("query vector").hasSize(embedder().dimension());
        float[] related = embedder().embedDocuments(List.of(TEXTS.get(2))).get(0);
        assertThat(cosine(query, related)).as("cosine of a query and its passage").isGreaterThan(0.0);
    }

    @Test
    @DisplayName("semantics, English: a query is nearer its answer than an unrelated passage")
    void semanticSanityEnglish() {
        assumeTrue(checksSemantics(), "semantic checks turned off by checksSemantics()");
        assertNearer("Where is the Eiffel Tower?", "The Eiffel Tower is in Paris.",
                "Photosynthesis converts light into chemical energy.");
        assertNearer("How do plants turn sunlight into energy?", "Photosynthesis converts light into chemical energy.",
                "The Eiffel Tower is in Paris.");
    }

    @Test
    @DisplayName("semantics, French: a query is nearer its answer than an unrelated passage")
    void semanticSanityFrench() {
        assumeTrue(checksSemantics(), "semantic checks turned off by checksSemantics()");
        assertNearer("Où se trouve la tour Eiffel ?", "La tour Eiffel se trouve à Paris.",
                "La photosynthèse transforme la lumière en énergie chimique.");
        assertNearer("Comment les plantes utilisent-elles la lumière ?",
                "La photosynthèse transforme la lumière en énergie chimique.", "La tour Eiffel se trouve à Paris.");
    }

    private void assertNearer(String query, String related, String unrelated) {
        float[] q = embedder().embedQuery(query);
        List<float[]> passages = embedder().embedDocuments(List.of(related, unrelated));
        double near = cosine(q, passages.get(0));
        double far = cosine(q, passages.get(1));
        assertThat(near).as("cosine('%s', '%s') = %.4f should exceed cosine with '%s' = %.4f", query, related, near,
                unrelated, far).isGreaterThan(far);
    }

    @Test
    @DisplayName("4 threads embedding at once get the same vectors as one thread")
    void concurrentCallsAgree() throws Exception {
        List<float[]> reference = embedder().embedDocuments(TEXTS);
        float[] referenceQuery = embedder().embedQuery("Where is the Eiffel Tower?");
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                Callable<List<float[]>> task = () -> {
                    start.await();
                    List<float[]> out = new ArrayList<>();
                    // Each thread walks the texts from a different start, so different texts overlap in time.
                    for (int i = 0; i < TEXTS.size(); i++) {
                        int index = (i + offset) % TEXTS.size();
                        out.add(embedder().embedDocuments(List.of(TEXTS.get(index))).get(0));
                    }
                    out.addAll(embedder().embedDocuments(TEXTS));
                    out.add(embedder().embedQuery("Where is the Eiffel Tower?"));
                    return out;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<float[]> out;
                try {
                    out = futures.get(t).get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("thread " + t + " failed", e.getCause());
                }
                for (int i = 0; i < TEXTS.size(); i++) {
                    int index = (i + t) % TEXTS.size();
                    assertThat(cosine(out.get(i), reference.get(index))).as("thread %d, single '%s'", t, TEXTS.get(index))
                            .isCloseTo(1.0, within(BATCH_COSINE_TOLERANCE));
                    assertSameVector(out.get(TEXTS.size() + i), reference.get(i), SAME_VECTOR_TOLERANCE,
                            "thread " + t + ", batch vector " + i);
                }
                assertSameVector(out.get(2 * TEXTS.size()), referenceQuery, SAME_VECTOR_TOLERANCE,
                        "thread " + t + ", query");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
