package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.store.StoreDamagedException;
import dev.ragkit.core.store.StoreDirectory;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.store.faiss.internal.FaissNative;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import dev.ragkit.testkit.Similarity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FAISS-specific behaviour beyond the conformance kit: index kinds, training, tombstones, errors, files. */
class FaissVectorStoreTest {
    private static final int DIM = 16;

    @TempDir
    Path dir;

    private final Random random = new Random(TestData.SEED);

    @org.junit.jupiter.api.BeforeAll
    static void loadLibrary() {
        NativeLibrary.load(); // for FaissNative.liveHandles() before the first store is built
    }

    private static FaissVectorStore.Builder store(String index) {
        return FaissVectorStore.builder().dimension(DIM).index(index);
    }

    private static List<SearchHit> search(FaissVectorStore s, float[] q, int k) {
        return s.search(SearchRequest.dense(q, k));
    }

    private static List<String> hitIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    /** Share of the corpus entries that find themselves first. */
    private static double selfRecall(FaissVectorStore s, List<EmbeddedChunk> probes) {
        int found = 0;
        for (EmbeddedChunk c : probes) {
            List<SearchHit> hits = search(s, c.vector(), 1);
            if (!hits.isEmpty() && hits.get(0).id().equals(c.id())) {
                found++;
            }
        }
        return found / (double) probes.size();
    }

    @Test
    void ivfWithTooLittleTrainingDataFailsClearlyAndWritesNothing() {
        try (FaissVectorStore s = store("IVF64,Flat").build()) {
            assertThat(s.isTrained()).isFalse();
            List<EmbeddedChunk> few = TestData.chunks(random, DIM, 10);
            assertThatThrownBy(() -> s.upsert(few)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("IVF64,Flat").hasMessageContaining("at least 64")
                    .hasMessageContaining("had 10");
            assertThat(s.count()).isZero();
            assertThat(s.isTrained()).isFalse();
            assertThatThrownBy(() -> s.train(List.of(TestData.vector(random, DIM))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("had 1");
        }
    }

    @Test
    void ivfFlatTrainsOnTheFirstBatchThenSearchesFiltersAndDeletesNatively() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 2000);
        try (FaissVectorStore s = store("IVF16,Flat").nprobe(16).build()) {
            s.upsert(corpus);
            assertThat(s.isTrained()).isTrue();
            assertThat(s.count()).isEqualTo(2000);
            // nprobe = nlist visits every list, so IVF,Flat is exact here.
            float[] q = TestData.vector(random, DIM);
            assertThat(hitIds(search(s, q, 10))).as("IVF top 10" + TestData.seedNote())
                    .isEqualTo(TestData.exactTopK(corpus, q, 10, c -> true));
            s.delete(TestData.ids(corpus.subList(0, 1000)));
            assertThat(s.tombstones()).isZero();
            assertThat(s.count()).isEqualTo(1000);
            assertThat(hitIds(search(s, q, 10))).as("IVF top 10 after deletes" + TestData.seedNote())
                    .isEqualTo(TestData.exactTopK(corpus.subList(1000, 2000), q, 10, c -> true));
            Filter even = Filter.eq("half", 0);
            assertThat(hitIds(s.search(SearchRequest.dense(q, 10).withFilter(even))))
                    .isEqualTo(TestData.exactTopK(corpus.subList(1000, 2000), q, 10,
                            c -> c.chunk().metadata().get("half").equals(0L)));
        }
    }

    @Test
    void ivfPqTrainsExplicitlyAndFindsStoredVectors() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 1500);
        try (FaissVectorStore s = store("IVF8,PQ4").nprobe(8).build()) {
            s.train(corpus.stream().map(EmbeddedChunk::vector).toList());
            assertThat(s.isTrained()).isTrue();
            s.upsert(corpus.subList(0, 5)); // smaller than the training needs: fine once trained
            s.upsert(corpus.subList(5, corpus.size()));
            int inTop10 = 0;
            for (EmbeddedChunk c : corpus.subList(0, 200)) {
                if (hitIds(search(s, c.vector(), 10)).contains(c.id())) {
                    inTop10++;
                }
            }
            // PQ4 compresses 16 floats into 4 bytes: approximate, but a vector must rank itself near the top.
            assertThat(inTop10 / 200.0).as("share of vectors in their own PQ top 10" + TestData.seedNote())
                    .isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void hnswDeletesAreTombstonesUntilCompaction() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 1000);
        int handles = (int) FaissNative.liveHandles();
        try (FaissVectorStore s = store("HNSW32").compactionRatio(0.5).build()) {
            s.upsert(corpus);
            List<EmbeddedChunk> deleted = corpus.subList(0, 100);
            s.delete(TestData.ids(deleted));
            assertThat(s.tombstones()).isEqualTo(100);
            assertThat(s.count()).isEqualTo(900);
            Set<String> gone = new HashSet<>(TestData.ids(deleted));
            for (EmbeddedChunk c : deleted) {
                assertThat(hitIds(search(s, c.vector(), 20))).as("hits for deleted " + c.id()).doesNotContainAnyElementsOf(gone);
            }
            // 500 more: 600 dead of 1000 in the graph passes the 0.5 ratio and rebuilds it.
            List<EmbeddedChunk> more = corpus.subList(100, 600);
            s.delete(TestData.ids(more));
            gone.addAll(TestData.ids(more));
            assertThat(s.tombstones()).isZero();
            assertThat(s.count()).isEqualTo(400);
            assertThat(FaissNative.liveHandles()).as("the old graph is freed").isEqualTo(handles + 1);
            for (EmbeddedChunk c : corpus.subList(0, 600)) {
                assertThat(hitIds(search(s, c.vector(), 20))).doesNotContainAnyElementsOf(gone);
            }
            assertThat(selfRecall(s, corpus.subList(600, 1000))).as("self recall after compaction" + TestData.seedNote())
                    .isGreaterThanOrEqualTo(0.98);
        }
    }

    @Test
    void hnswUpsertReplacesTheVectorAndCompactExplicitly() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 300);
        try (FaissVectorStore s = store("HNSW16").build()) {
            s.upsert(corpus);
            EmbeddedChunk old = corpus.get(42);
            float[] newVector = TestData.vector(random, DIM);
            Chunk replaced = Chunk.of(old.chunk().documentId(), 0, "new text", Map.of("v", 2));
            s.upsert(List.of(new EmbeddedChunk(replaced, newVector)));
            assertThat(s.count()).isEqualTo(300);
            assertThat(s.tombstones()).isEqualTo(1);
            List<SearchHit> hits = search(s, newVector, 1);
            assertThat(hits.get(0).chunk()).isEqualTo(replaced);
            assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
            for (SearchHit h : search(s, old.vector(), 300)) {
                if (h.id().equals(old.id())) {
                    assertThat(h.score()).as("score of the replaced id against its old vector")
                            .isCloseTo(Math.max(0, Similarity.cosine(old.vector(), newVector)), within(1e-4));
                }
            }
            s.compact();
            assertThat(s.tombstones()).isZero();
            assertThat(search(s, newVector, 1).get(0).chunk()).isEqualTo(replaced);
        }
    }

    @Test
    void filtersSelectBeforeSearchingSoSelectiveFiltersStillReturnTopK() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 10_000);
        try (FaissVectorStore s = store("HNSW32").build()) {
            s.upsert(corpus);
            int recalled = 0;
            for (int q = 0; q < 10; q++) {
                float[] query = TestData.vector(random, DIM);
                // 10 of 10,000 chunks match: an HNSW post-filter would usually find none of them.
                long bucket = 7L + q;
                Filter rare = Filter.eq("bucket", bucket);
                List<SearchHit> few = s.search(SearchRequest.dense(query, 10).withFilter(rare));
                assertThat(hitIds(few)).as("rare filter, query %d%s", q, TestData.seedNote())
                        .isEqualTo(TestData.exactTopK(corpus, query, 10,
                                c -> c.chunk().metadata().get("bucket").equals(bucket)));
                // 5,000 match: the FAISS id selector path.
                Filter odd = Filter.eq("half", 1L);
                List<SearchHit> many = s.search(SearchRequest.dense(query, 10).withFilter(odd));
                assertThat(many).hasSize(10).allSatisfy(h -> assertThat(h.chunk().metadata().get("half")).isEqualTo(1L));
                List<String> expected = TestData.exactTopK(corpus, query, 10,
                        c -> c.chunk().metadata().get("half").equals(1L));
                recalled += (int) hitIds(many).stream().filter(expected::contains).count();
            }
            // Unstructured Gaussian vectors are HNSW's hardest case; real embeddings score higher.
            assertThat(recalled / 100.0).as("recall@10 of the half filter" + TestData.seedNote())
                    .isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void efSearchReallyWidensTheHnswSearch() {
        // Unstructured 48-d Gaussian data is hard for HNSW: a small candidate list misses neighbours.
        int dim = 48;
        List<EmbeddedChunk> corpus = TestData.chunks(random, dim, 5000);
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(dim).index("HNSW16").efSearch(10).build()) {
            s.upsert(corpus);
            List<float[]> queries = new ArrayList<>();
            List<List<String>> truth = new ArrayList<>();
            for (int q = 0; q < 50; q++) {
                float[] query = TestData.vector(random, dim);
                queries.add(query);
                truth.add(TestData.exactTopK(corpus, query, 10, c -> true));
            }
            double narrow = recall(s, queries, truth);
            s.efSearch(1000);
            double wide = recall(s, queries, truth);
            // FAISS 1.7.3 sizes HNSW's candidate heap from the index's own efSearch, not the search
            // parameters; the store sets both, or this stays at the narrow recall.
            assertThat(wide).as("recall@10 at efSearch 1000 (efSearch 10 gave %s)%s", narrow, TestData.seedNote())
                    .isGreaterThanOrEqualTo(0.99).isGreaterThan(narrow);
        }
    }

    private static double recall(FaissVectorStore s, List<float[]> queries, List<List<String>> truth) {
        int found = 0;
        for (int i = 0; i < queries.size(); i++) {
            List<String> expected = truth.get(i);
            found += (int) hitIds(search(s, queries.get(i), 10)).stream().filter(expected::contains).count();
        }
        return found / (10.0 * queries.size());
    }

    @Test
    void l2MetricRanksByEuclideanDistance() {
        try (FaissVectorStore s = store("Flat").metric(FaissVectorStore.Metric.L2).build()) {
            float[] a = new float[DIM];
            float[] b = new float[DIM];
            float[] c = new float[DIM];
            a[0] = 1;
            b[0] = 3;
            c[0] = -1;
            s.upsert(List.of(new EmbeddedChunk(Chunk.of("a", 0, "a", Map.of()), a),
                    new EmbeddedChunk(Chunk.of("b", 0, "b", Map.of()), b),
                    new EmbeddedChunk(Chunk.of("c", 0, "c", Map.of()), c)));
            float[] q = new float[DIM];
            q[0] = 1.5f;
            List<SearchHit> hits = search(s, q, 3);
            assertThat(hitIds(hits)).containsExactly("a#0", "b#0", "c#0");
            assertThat(hits.get(0).score()).isCloseTo(1 / (1 + 0.25), within(1e-6));
            assertThat(hits.get(1).score()).isCloseTo(1 / (1 + 2.25), within(1e-6));
            assertThat(hits.get(2).score()).isCloseTo(1 / (1 + 6.25), within(1e-6));
        }
    }

    @Test
    void closeFreesTheNativeIndexAndLaterCallsFailClearly() {
        long before = FaissNative.liveHandles();
        FaissVectorStore a = store("Flat").build();
        FaissVectorStore b = store("HNSW32").build();
        a.upsert(TestData.chunks(random, DIM, 5));
        assertThat(FaissNative.liveHandles()).isEqualTo(before + 2);
        a.close();
        b.close();
        a.close(); // idempotent
        assertThat(FaissNative.liveHandles()).isEqualTo(before);
        assertThatThrownBy(() -> search(a, TestData.vector(random, DIM), 1)).isInstanceOf(RagException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> a.count()).isInstanceOf(RagException.class).hasMessageContaining("closed");
    }

    @Test
    void badInputIsRejectedWithTheFieldAndValue() {
        try (FaissVectorStore s = store("HNSW32").build()) {
            List<EmbeddedChunk> wrong = List.of(new EmbeddedChunk(Chunk.of("w", 0, "w", Map.of()), new float[5]));
            assertThatThrownBy(() -> s.upsert(wrong)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'w#0'").hasMessageContaining("dimension 5").hasMessageContaining("16");
            assertThatThrownBy(() -> search(s, new float[3], 1)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("dimension 3");
            float[] nan = TestData.vector(random, DIM);
            nan[4] = Float.NaN;
            assertThatThrownBy(() -> s.train(List.of(nan))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("NaN").hasMessageContaining("position 4");
            List<EmbeddedChunk> zero = List.of(new EmbeddedChunk(Chunk.of("z", 0, "z", Map.of()), new float[DIM]));
            assertThatThrownBy(() -> s.upsert(zero)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("zero vector");
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void factoryStringsFaissRejectsFailAtBuild() {
        assertThatThrownBy(() -> store("Nonsense42").build()).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("'Nonsense42'");
        assertThatThrownBy(() -> store("PQ8").build()).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("not supported by Ragkit");
        assertThatThrownBy(() -> FaissVectorStore.builder().dimension(0).efSearch(0).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("dimension was 0")
                .hasMessageContaining("efSearch was 0");
    }

    @Test
    void persistedHnswKeepsTombstonesAndResultsAcrossReopen() {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 500);
        float[] q = TestData.vector(random, DIM);
        List<SearchHit> before;
        try (FaissVectorStore s = store("HNSW32").directory(dir).build()) {
            s.upsert(corpus);
            s.delete(TestData.ids(corpus.subList(0, 50)));
            before = search(s, q, 20);
        }
        try (FaissVectorStore s = store("HNSW32").directory(dir).build()) {
            assertThat(s.count()).isEqualTo(450);
            assertThat(s.tombstones()).isEqualTo(50);
            assertThat(search(s, q, 20)).isEqualTo(before);
            assertThat(s.get(TestData.ids(corpus.subList(0, 50)))).isEmpty();
        }
    }

    @Test
    void aDirectoryOpensOnlyWithItsOwnSettingsAndInOneStoreAtATime() {
        try (FaissVectorStore s = store("Flat").directory(dir).build()) {
            s.upsert(TestData.chunks(random, DIM, 3));
            assertThatThrownBy(() -> store("Flat").directory(dir).build()).isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("already open");
        }
        assertThatThrownBy(() -> store("HNSW32").directory(dir).build()).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("holds an index 'Flat'").hasMessageContaining("'HNSW32'");
        assertThatThrownBy(() -> FaissVectorStore.builder().dimension(8).index("Flat").directory(dir).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("dimension 16");
        try (FaissVectorStore s = store("Flat").directory(dir).build()) {
            assertThat(s.count()).isEqualTo(3);
        }
    }

    @Test
    void aFactoryStringFaissRejectsLeavesNoStoreBehind() {
        assertThatThrownBy(() -> store("NoSuchIndex").directory(dir).build()).isInstanceOf(RagConfigurationException.class);
        assertThat(dir.resolve(StoreDirectory.MANIFEST)).doesNotExist();
        try (FaissVectorStore s = store("Flat").directory(dir).build()) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void anEditedOrCutManifestIsBlamedItselfNotADataFile() throws IOException {
        try (FaissVectorStore s = store("Flat").directory(dir).build()) {
            s.upsert(TestData.chunks(random, DIM, 3));
        }
        Path manifest = dir.resolve(StoreDirectory.MANIFEST);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("format=2", "format=99"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store("Flat").directory(dir).build()).isInstanceOf(StoreDamagedException.class)
                .hasMessageStartingWith(manifest + " fails its checksum");
        Files.writeString(manifest, text.substring(0, text.length() / 2), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store("Flat").directory(dir).build()).isInstanceOf(StoreDamagedException.class)
                .hasMessageStartingWith(manifest.toString()).hasMessageNotContaining("chunks-");
    }

    @Test
    void concurrentSearchesRunBesideAWriter() throws Exception {
        List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 4000);
        try (FaissVectorStore s = store("HNSW32").compactionRatio(0.2).build()) {
            s.upsert(corpus.subList(0, 1000));
            List<Thread> readers = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            for (int t = 0; t < 3; t++) {
                Random r = new Random(TestData.SEED + t);
                Thread reader = new Thread(() -> {
                    try {
                        do {
                            List<SearchHit> hits = search(s, TestData.vector(r, DIM), 10);
                            if (hits.size() != 10) {
                                throw new AssertionError("a search saw " + hits.size() + " hits");
                            }
                        } while (writing.get());
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int batch = 1; batch < 4; batch++) {
                s.upsert(corpus.subList(batch * 1000, (batch + 1) * 1000));
                s.delete(TestData.ids(corpus.subList(batch * 1000 - 500, batch * 1000)));
            }
            writing.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(errors).as("reader failures" + TestData.seedNote()).isEmpty();
            assertThat(s.count()).isEqualTo(4000 - 1500);
        }
    }
}
