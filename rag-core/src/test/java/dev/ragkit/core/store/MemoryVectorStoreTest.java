package dev.ragkit.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryVectorStoreTest {
    private MemoryVectorStore store;

    static EmbeddedChunk chunk(String doc, int index, String text, Map<String, Object> metadata, float... vector) {
        return new EmbeddedChunk(Chunk.of(doc, index, text, metadata), vector);
    }

    /** Four chunks in 3 dimensions whose cosines to (1, 0, 0) are 1, 0.8, 0 and -1. */
    @BeforeEach
    void fourChunks() {
        store = MemoryVectorStore.builder().dimension(3).build();
        store.upsert(List.of(
                chunk("a", 0, "Les élèves lisent le guide de Ragkit.", Map.of("lang", "fr", "year", 2021), 2, 0, 0),
                chunk("b", 0, "Students read the Ragkit guide about retrieval.", Map.of("lang", "en", "year", 2023), 0.8f, 0.6f, 0),
                chunk("c", 0, "Hybrid retrieval fuses dense and keyword rankings.", Map.of("lang", "en", "year", 2024), 0, 5, 0),
                chunk("d", 0, "La recherche par mots-clés utilise BM25.", Map.of("lang", "fr"), -1, 0, 0)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    @Test
    void basics() {
        assertThat(store.name()).isEqualTo("memory");
        assertThat(store.dimension()).isEqualTo(3);
        assertThat(store.count()).isEqualTo(4);
        assertThat(store.capabilities()).containsExactlyInAnyOrder(StoreCapability.FILTER, StoreCapability.DELETE,
                StoreCapability.KEYWORD_SEARCH, StoreCapability.SCAN, StoreCapability.READ_VECTORS);
        assertThatThrownBy(() -> MemoryVectorStore.builder().dimension(0).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension was 0");
    }

    @Test
    void exactCosineOrderAndScores() {
        List<SearchHit> hits = store.search(SearchRequest.dense(new float[] {3, 0, 0}, 10));
        assertThat(ids(hits)).containsExactly("a#0", "b#0", "c#0", "d#0");
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(hits.get(1).score()).isCloseTo(0.8, within(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-6));
        assertThat(hits.get(3).score()).isZero();   // cosine -1, clamped
        List<SearchHit> diagonal = store.search(SearchRequest.dense(new float[] {1, 1, 0}, 2));
        assertThat(ids(diagonal)).containsExactly("b#0", "a#0");
        assertThat(diagonal.get(0).score()).isCloseTo(1.4 / Math.sqrt(2), within(1e-6));
        assertThat(diagonal.get(1).score()).isCloseTo(1 / Math.sqrt(2), within(1e-6));
    }

    @Test
    void tiesAreBrokenByAscendingId() {
        MemoryVectorStore ties = MemoryVectorStore.builder().dimension(2).build();
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (String doc : List.of("z", "m", "a", "q")) {
            batch.add(chunk(doc, 0, "same", Map.of(), 1, 1));
        }
        ties.upsert(batch);
        assertThat(ids(ties.search(SearchRequest.dense(new float[] {1, 1}, 3)))).containsExactly("a#0", "m#0", "q#0");
        ties.close();
    }

    @Test
    void topKAndMinScore() {
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0, 0}, 1)))).containsExactly("a#0");
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0, 0}, 10).withMinScore(0.5))))
                .containsExactly("a#0", "b#0");
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0, 0}, 10).withMinScore(1e-3))))
                .containsExactly("a#0", "b#0");
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0, 0}, 10).withMinScore(0))))
                .hasSize(4);
    }

    @Test
    void filtersApplyBeforeTopK() {
        float[] q = {1, 0, 0};
        assertThat(ids(store.search(SearchRequest.dense(q, 1).withFilter(Filter.eq("lang", "en"))))).containsExactly("b#0");
        assertThat(ids(store.search(SearchRequest.dense(q, 10).withFilter(Filter.gte("year", 2023.0)))))
                .containsExactly("b#0", "c#0");
        assertThat(ids(store.search(SearchRequest.dense(q, 10).withFilter(Filter.ne("year", 2021)))))
                .containsExactly("b#0", "c#0", "d#0");
        assertThat(ids(store.search(SearchRequest.dense(q, 10).withFilter(Filter.eq("doc_id", "c")))))
                .containsExactly("c#0");
        assertThat(ids(store.search(SearchRequest.dense(q, 10)
                .withFilter(Filter.and(Filter.eq("lang", "fr"), Filter.not(Filter.in("doc_id", List.of("a"))))))))
                .containsExactly("d#0");
        assertThat(store.search(SearchRequest.dense(q, 10).withFilter(Filter.eq("lang", "de")))).isEmpty();
    }

    @Test
    void upsertReplacesAndGetKeepsRequestOrder() {
        store.upsert(List.of(chunk("a", 0, "Nouveau texte.", Map.of("lang", "fr"), 0, 0, 1)));
        assertThat(store.count()).isEqualTo(4);
        assertThat(store.get(List.of("d#0", "nope#0", "a#0"))).extracting(Chunk::id).containsExactly("d#0", "a#0");
        assertThat(store.get(List.of("a#0")).get(0).text()).isEqualTo("Nouveau texte.");
        assertThat(ids(store.search(SearchRequest.dense(new float[] {0, 0, 1}, 1)))).containsExactly("a#0");
        assertThat(store.search(SearchRequest.keyword("guide", 10))).extracting(SearchHit::id).doesNotContain("a#0");
        store.upsert(List.of());
        assertThat(store.count()).isEqualTo(4);
    }

    @Test
    void badBatchesWriteNothing() {
        List<EmbeddedChunk> wrongDimension = List.of(chunk("x", 0, "ok", Map.of(), 1, 0, 0), chunk("y", 0, "bad", Map.of(), 1, 0));
        assertThatThrownBy(() -> store.upsert(wrongDimension)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'y#0'").hasMessageContaining("dimension 2").hasMessageContaining("3");
        List<EmbeddedChunk> duplicate = List.of(chunk("x", 0, "one", Map.of(), 1, 0, 0), chunk("x", 0, "two", Map.of(), 0, 1, 0));
        assertThatThrownBy(() -> store.upsert(duplicate)).isInstanceOf(InvalidInputException.class).hasMessageContaining("'x#0'");
        List<EmbeddedChunk> zero = List.of(chunk("x", 0, "ok", Map.of(), 1, 0, 0), chunk("z", 0, "zero", Map.of(), 0, 0, 0));
        assertThatThrownBy(() -> store.upsert(zero)).isInstanceOf(InvalidInputException.class).hasMessageContaining("'z#0'");
        assertThat(store.count()).isEqualTo(4);
        assertThat(store.get(List.of("x#0", "y#0", "z#0"))).isEmpty();
    }

    @Test
    void badQueriesAreRejected() {
        assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {1, 0}, 3))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("query vector").hasMessageContaining("dimension 2");
        assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {0, 0, 0}, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero");
    }

    @Test
    void aTinyButValidVectorDoesNotBreakDenseSearch() {
        store.upsert(List.of(chunk("tiny", 0, "tiny vector", Map.of(), Float.MIN_VALUE, 0, 0)));
        List<SearchHit> hits = store.search(SearchRequest.dense(new float[] {1, 0, 0}, 10));
        assertThat(hits).hasSize(5).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(hits.stream().filter(h -> h.id().equals("tiny#0")).findFirst().orElseThrow().score())
                .isCloseTo(1.0, within(1e-6));
    }

    @Test
    void deleteRemovesFromEverySearch() {
        store.delete(List.of("a#0", "unknown#3", "a#0"));
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.get(List.of("a#0"))).isEmpty();
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0, 0}, 10)))).doesNotContain("a#0");
        assertThat(ids(store.search(SearchRequest.keyword("élèves", 10)))).isEmpty();
        store.delete(List.of());
        store.delete(List.of("nothing#0"));
        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void keywordSearchReadsEachChunkInItsOwnLanguage() {
        List<SearchHit> hits = store.search(SearchRequest.keyword("ELEVE guide", 10));
        assertThat(ids(hits)).containsExactly("a#0", "b#0");
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(ids(store.search(SearchRequest.keyword("retrieval", 10).withFilter(Filter.eq("year", 2024)))))
                .containsExactly("c#0");
        assertThat(ids(store.search(SearchRequest.keyword("retrieval", 1)))).hasSize(1);
        assertThat(store.search(SearchRequest.keyword("the le la", 10))).isEmpty();
        double best = hits.get(0).score();
        assertThat(ids(store.search(SearchRequest.keyword("ELEVE guide", 10).withMinScore(best)))).containsExactly("a#0");
        assertThat(ids(store.search(SearchRequest.keyword("mots clés BM25", 10)))).containsExactly("d#0");
    }

    @Test
    void keywordScoresMatchTheBm25Index() {
        dev.ragkit.core.text.Bm25Index reference = new dev.ragkit.core.text.Bm25Index(dev.ragkit.core.text.TextAnalyzer.auto()); // the store's default
        for (Chunk c : store.scan(null, null, 100).chunks()) {
            reference.put(c.id(), c.text());
        }
        List<dev.ragkit.core.text.Bm25Index.Hit> expected = reference.search("guide retrieval", 10, id -> true);
        List<SearchHit> hits = store.search(SearchRequest.keyword("guide retrieval", 10));
        assertThat(ids(hits)).containsExactlyElementsOf(expected.stream().map(dev.ragkit.core.text.Bm25Index.Hit::id).toList());
        for (int i = 0; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).isEqualTo(expected.get(i).normalisedScore());
        }
    }

    @Test
    void scanPagesThroughEveryChunkInIdOrder() {
        MemoryVectorStore big = MemoryVectorStore.builder().dimension(2).build();
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            batch.add(chunk("doc", i, "text " + i, Map.of("even", i % 2 == 0), 1, i));
        }
        batch.add(chunk("doc-2", 0, "other", Map.of("even", true), 1, 0));
        batch.add(chunk("do", 0, "prefix", Map.of("even", false), 1, 0));
        big.upsert(batch);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> sizes = new ArrayList<>();
        do {
            ScanPage page = big.scan(null, cursor, 4);
            page.chunks().forEach(c -> seen.add(c.id()));
            sizes.add(page.chunks().size());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        assertThat(sizes).containsExactly(4, 4, 4, 3);
        assertThat(seen).hasSize(15).doesNotHaveDuplicates().isSorted();

        List<String> docOnly = new ArrayList<>();
        cursor = null;
        do {
            ScanPage page = big.scan(Filter.eq("doc_id", "doc"), cursor, 5);
            page.chunks().forEach(c -> docOnly.add(c.id()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        assertThat(docOnly).hasSize(13).allMatch(id -> id.startsWith("doc#"));

        ScanPage even = big.scan(Filter.eq("even", true), null, 100);
        assertThat(even.chunks()).hasSize(8);
        assertThat(even.nextCursor()).isEmpty();
        ScanPage exact = big.scan(Filter.eq("even", false), null, 7);
        assertThat(exact.chunks()).hasSize(7);
        assertThat(exact.nextCursor()).as("exactly limit matches: no further page needed").isEmpty();
        assertThatThrownBy(() -> big.scan(null, null, 0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("limit was 0");
        assertThat(big.scan(Filter.eq("doc_id", "missing"), null, 10).chunks()).isEmpty();
        big.close();
    }

    @Test
    void closedStoreFailsClearlyAndCloseIsIdempotent() {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.count()).isInstanceOf(RagException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.search(SearchRequest.keyword("x", 1))).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> store.upsert(List.of(chunk("x", 0, "t", Map.of(), 1, 0, 0)))).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> store.delete(List.of("a#0"))).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> store.scan(null, null, 1)).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> store.get(List.of("a#0"))).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> store.flush()).isInstanceOf(RagException.class);
    }

    @Test
    void randomSearchesMatchABruteForceOracle() {
        long seed = 1234L;
        Random random = new Random(seed);
        int dim = 8;
        MemoryVectorStore s = MemoryVectorStore.builder().dimension(dim).build();
        List<float[]> vectors = new ArrayList<>();
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) random.nextGaussian();
            }
            vectors.add(v);
            batch.add(chunk("d" + i, 0, "text", Map.of("group", (long) (i % 5)), v));
        }
        s.upsert(batch);
        for (int q = 0; q < 20; q++) {
            float[] query = new float[dim];
            for (int j = 0; j < dim; j++) {
                query[j] = (float) random.nextGaussian();
            }
            long group = random.nextInt(5);
            List<SearchHit> hits = s.search(SearchRequest.dense(query, 7).withFilter(Filter.ne("group", group)));
            List<double[]> oracle = new ArrayList<>();   // {score, index}
            for (int i = 0; i < vectors.size(); i++) {
                if (i % 5 == group) {
                    continue;
                }
                oracle.add(new double[] {Math.max(0, cosine(query, vectors.get(i))), i});
            }
            oracle.sort((x, y) -> Double.compare(y[0], x[0]));
            assertThat(hits).as("seed %d query %d", seed, q).hasSize(7);
            for (int k = 0; k < 7; k++) {
                assertThat(hits.get(k).score()).as("seed %d query %d rank %d", seed, q, k).isCloseTo(oracle.get(k)[0], within(1e-5));
            }
        }
        s.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
