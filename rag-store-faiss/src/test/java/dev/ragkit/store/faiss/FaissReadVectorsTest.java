package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * READ_VECTORS per index kind, beyond the kit's Flat and HNSW runs: IVF-Flat (labels in a hashtable
 * direct map, native removal, training replayed from the journal), L2 stores (vectors as written), and
 * the compressed kinds that do not declare it.
 */
class FaissReadVectorsTest {
    private static final int DIM = 16;

    @TempDir
    Path dir;

    private final Random random = new Random(TestData.SEED);

    private static FaissVectorStore.Builder store(String index, FaissVectorStore.Metric metric, Path dir) {
        return FaissVectorStore.builder().dimension(DIM).index(index).metric(metric).directory(dir);
    }

    /** The vector a store of this metric gives back for {@code written}. */
    private static float[] expected(float[] written, FaissVectorStore.Metric metric) {
        return metric == FaissVectorStore.Metric.COSINE ? Vectors.normalised("written", written) : written;
    }

    private static void assertVectors(List<EmbeddedChunk> got, List<EmbeddedChunk> written, FaissVectorStore.Metric metric,
                                      String what) {
        assertThat(got).extracting(EmbeddedChunk::id).as(what + ": ids").containsExactlyElementsOf(TestData.ids(written));
        for (int i = 0; i < written.size(); i++) {
            assertThat(got.get(i).chunk()).as(what + ": chunk " + written.get(i).id()).isEqualTo(written.get(i).chunk());
            assertThat(got.get(i).vector()).as(what + ": vector of " + written.get(i).id() + TestData.seedNote())
                    .containsExactly(expected(written.get(i).vector(), metric), within(1e-6f));
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"'IVF8,Flat', COSINE", "'IVF8,Flat', L2", "HNSW16, L2", "Flat, L2"})
    void vectorsComeBackThroughReplacementsDeletesAndReopens(String index, FaissVectorStore.Metric metric) {
        List<EmbeddedChunk> corpus = new ArrayList<>(TestData.chunks(random, DIM, 300));
        List<EmbeddedChunk> expected;
        try (FaissVectorStore s = store(index, metric, dir).build()) {
            assertThat(s.capabilities()).contains(StoreCapability.READ_VECTORS);
            s.upsert(corpus);
            s.flush();
            // Journalled only, not flushed: a read-only open beside the writer replays them.
            for (int i : new int[] {5, 77, 299}) {
                Chunk old = corpus.get(i).chunk();
                corpus.set(i, new EmbeddedChunk(Chunk.of(old.documentId(), old.index(), "replaced", Map.of()),
                        TestData.vector(random, DIM)));
            }
            s.upsert(List.of(corpus.get(5), corpus.get(77), corpus.get(299)));
            s.delete(List.of(corpus.get(6).id(), corpus.get(100).id()));
            expected = new ArrayList<>(corpus);
            expected.remove(100);
            expected.remove(6);
            assertVectors(s.getEmbedded(TestData.ids(corpus)), expected, metric, index + " before closing");
            assertThat(s.getEmbedded(List.of(corpus.get(6).id(), "unknown#0"))).as("deleted and unknown ids").isEmpty();
            try (FaissVectorStore reader = store(index, metric, dir).readOnly(true).build()) {
                assertVectors(reader.getEmbedded(TestData.ids(corpus)), expected, metric,
                        index + " read-only beside the writer: snapshot plus replayed journal");
            }
        }
        // close() wrote a new snapshot: this open reads vectors from the FAISS file itself.
        try (FaissVectorStore reopened = store(index, metric, dir).build()) {
            List<EmbeddedChunk> reversed = new ArrayList<>(expected);
            Collections.reverse(reversed);
            assertVectors(reopened.getEmbedded(TestData.ids(reversed)), reversed, metric, index + " after reopening");
        }
    }

    /** The vector version {@code v} of chunk {@code i} is a function of both: a read can check they belong together. */
    private static float[] versioned(int i, int v) {
        float[] out = new float[DIM];
        out[i % DIM] = 1 + v;
        out[(i + 1) % DIM] = 1;
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"HNSW16", "IVF8,Flat"})
    void readsBesideWritesAndCompactionsSeeEachChunkWithItsOwnVector(String index) throws Exception {
        int n = 200;
        List<EmbeddedChunk> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            first.add(new EmbeddedChunk(Chunk.of("doc-" + i, 0, "v0", Map.of()), versioned(i, 0)));
        }
        // A small compaction ratio makes the HNSW replacements below rebuild the graph (a new native handle) often.
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(DIM).index(index)
                .metric(FaissVectorStore.Metric.L2).compactionRatio(0.05).build()) {
            s.upsert(first);
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    readers.add(pool.submit(() -> {
                        int reads = 0;
                        while (writing.get() || reads < 5) {
                            for (EmbeddedChunk c : s.getEmbedded(TestData.ids(first))) {
                                int i = Integer.parseInt(c.chunk().documentId().substring(4));
                                int v = Integer.parseInt(c.chunk().text().substring(1));
                                if (!Arrays.equals(c.vector(), versioned(i, v))) {
                                    throw new AssertionError(c.id() + " " + c.chunk().text() + " came with "
                                            + Arrays.toString(c.vector()));
                                }
                            }
                            reads++;
                        }
                        return reads;
                    }));
                }
                Future<?> writer = pool.submit(() -> {
                    try {
                        for (int v = 1; v <= 30; v++) {
                            List<EmbeddedChunk> batch = new ArrayList<>();
                            for (int i = v % 4; i < n; i += 4) {
                                batch.add(new EmbeddedChunk(Chunk.of("doc-" + i, 0, "v" + v, Map.of()), versioned(i, v)));
                            }
                            s.upsert(batch);
                        }
                    } finally {
                        writing.set(false);
                    }
                    return null;
                });
                writer.get(120, TimeUnit.SECONDS);
                for (Future<Integer> reader : readers) {
                    assertThat(reader.get(120, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(5);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(s.getEmbedded(List.of("doc-0#0")).get(0).chunk().text()).isEqualTo("v28");
        }
    }

    @ValueSource(strings = {"SQ8", "HNSW16,SQ8", "IVF8,SQ8", "IVF8,PQ4"})
    @ParameterizedTest
    void compressedIndexesDoNotDeclareReadVectorsAndRefuseIt(String index) {
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(DIM).index(index).build()) {
            assertThat(s.capabilities()).doesNotContain(StoreCapability.READ_VECTORS)
                    .contains(StoreCapability.FILTER, StoreCapability.DELETE, StoreCapability.SCAN);
            List<EmbeddedChunk> corpus = TestData.chunks(random, DIM, 300);
            s.upsert(corpus);
            assertThatThrownBy(() -> s.getEmbedded(List.of(corpus.get(0).id())))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("READ_VECTORS");
        }
    }
}
