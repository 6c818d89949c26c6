package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.store.faiss.FaissVectorStore.Metric;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query strategy on a real index and table, without the store around them. */
class DenseSearchTest {
    private static final int DIM = 8;

    private final Random random = new Random(TestData.SEED);

    @BeforeAll
    static void loadLibrary() {
        NativeLibrary.load();
    }

    /** An index and its table holding {@code chunks}, vectors normalised for cosine. */
    private static final class Fixture implements AutoCloseable {
        final NativeIndex index;
        final LabelTable table = new LabelTable();
        final Metric metric;

        Fixture(String factory, Metric metric, int efSearch, List<EmbeddedChunk> chunks) {
            this.metric = metric;
            index = NativeIndex.create(DIM, factory, metric, 40, "FAISS index '" + factory + "' in a test");
            index.searchDefaults(efSearch, 1);
            List<float[]> vectors = chunks.stream().map(c -> prepare(c.vector())).toList();
            long[] labels = table.freshLabels(chunks.size());
            index.add(vectors, labels, 1);
            table.put(labels, chunks.stream().map(EmbeddedChunk::chunk).toList());
        }

        float[] prepare(float[] v) {
            return metric == Metric.COSINE ? Vectors.normalised("vector", v) : v;
        }

        List<SearchHit> search(float[] query, int topK, double minScore, Filter filter, boolean tombstones) {
            return new DenseSearch(index, table, metric, 16, 1).search(prepare(query), topK, minScore, filter, tombstones);
        }

        @Override
        public void close() {
            index.close();
        }
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    @Test
    void tiesBeyondTheMarginAreFetchedAndOrderedById() {
        float[] shared = TestData.vector(random, DIM);
        List<EmbeddedChunk> chunks = new ArrayList<>();
        // Added in descending id order, so FAISS's own order among equals (by position) is the reverse of the id order.
        for (int i = 39; i >= 0; i--) {
            chunks.add(new EmbeddedChunk(Chunk.of(String.format("tie-%02d", i), 0, "same", Map.of()), shared));
        }
        chunks.addAll(TestData.chunks(random, DIM, 60));
        try (Fixture f = new Fixture("Flat", Metric.COSINE, 16, chunks)) {
            List<SearchHit> hits = f.search(shared, 5, 0, null, false);
            assertThat(ids(hits)).as("5 of 40 ties, far more than the margin of " + DenseSearch.TIE_MARGIN)
                    .containsExactly("tie-00#0", "tie-01#0", "tie-02#0", "tie-03#0", "tie-04#0");
        }
    }

    @Test
    void aSelectionUpToTheLimitIsScoredExactlyEvenOnANarrowHnswSearch() {
        List<EmbeddedChunk> chunks = TestData.chunks(random, DIM, 2000);
        try (Fixture f = new Fixture("HNSW32", Metric.COSINE, 1, chunks)) {
            for (Filter filter : List.of(Filter.eq("half", 0L), Filter.eq("bucket", 7L))) {
                for (int q = 0; q < 5; q++) {
                    float[] query = TestData.vector(random, DIM);
                    assertThat(ids(f.search(query, 10, 0, filter, false)))
                            .as("%s: at most %d matches, so the exact top 10 despite efSearch 1", filter,
                                    DenseSearch.EXACT_SELECTION_LIMIT)
                            .containsExactlyElementsOf(TestData.exactTopK(chunks, query, 10, c -> filter.test(c.chunk())));
                }
            }
        }
    }

    @Test
    void tombstonesAreHiddenAndARunOutSearchFallsBackToExact() {
        List<EmbeddedChunk> chunks = TestData.chunks(random, DIM, 1000);
        try (Fixture f = new Fixture("HNSW32", Metric.COSINE, 16, chunks)) {
            List<String> gone = IntStream.range(0, 1000).filter(i -> i % 100 != 0).mapToObj(i -> "doc-" + i + "#0").toList();
            f.table.remove(gone); // tombstones: the vectors stay in the graph
            List<EmbeddedChunk> live = IntStream.range(0, 10).mapToObj(i -> chunks.get(i * 100)).toList();
            float[] query = TestData.vector(random, DIM);
            List<SearchHit> hits = f.search(query, 10, 0, null, true);
            assertThat(ids(hits)).as("the 10 live chunks among 1,000 vectors, in exact order")
                    .containsExactlyElementsOf(TestData.exactTopK(live, query, 10, c -> true));
        }
    }

    @Test
    void minScoreAndTopKCutTheResult() {
        List<EmbeddedChunk> chunks = TestData.chunks(random, DIM, 200);
        try (Fixture f = new Fixture("Flat", Metric.COSINE, 16, chunks)) {
            float[] query = TestData.vector(random, DIM);
            List<SearchHit> all = f.search(query, 200, 0, null, false);
            assertThat(all).hasSize(200);
            double cut = all.get(30).score();
            List<SearchHit> kept = f.search(query, 200, cut, null, false);
            assertThat(kept).allMatch(h -> h.score() >= cut);
            assertThat(ids(kept)).isEqualTo(ids(all).subList(0, kept.size()));
            assertThat(f.search(query, 3, 0, null, false)).hasSize(3);
            assertThat(f.search(query, 3, 0, Filter.eq("bucket", -1L), false)).as("a filter matching nothing").isEmpty();
        }
    }

    @Test
    void l2ScoresAreOneOverOnePlusTheSquaredDistance() {
        float[] a = new float[DIM];
        float[] b = new float[DIM];
        b[0] = 2; // squared distance 4 from a
        List<EmbeddedChunk> chunks = List.of(new EmbeddedChunk(Chunk.of("a", 0, "a", Map.of()), a),
                new EmbeddedChunk(Chunk.of("b", 0, "b", Map.of()), b));
        try (Fixture f = new Fixture("Flat", Metric.L2, 16, chunks)) {
            List<SearchHit> hits = f.search(a, 2, 0, null, false);
            assertThat(ids(hits)).containsExactly("a#0", "b#0");
            assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-9));
            assertThat(hits.get(1).score()).isCloseTo(0.2, within(1e-6));
        }
    }
}
