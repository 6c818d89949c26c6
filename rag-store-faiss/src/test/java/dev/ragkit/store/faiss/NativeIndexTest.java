package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.store.faiss.FaissVectorStore.Metric;
import dev.ragkit.store.faiss.internal.FaissNative;
import dev.ragkit.store.faiss.internal.FaissNativeException;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The owner of the native handle, against the real FAISS library. */
class NativeIndexTest {
    private static final int DIM = 8;

    @BeforeAll
    static void loadLibrary() {
        NativeLibrary.load();
    }

    private static NativeIndex create(String factory, Metric metric) {
        NativeIndex index = NativeIndex.create(DIM, factory, metric, 40, "FAISS index '" + factory + "' in a test");
        index.searchDefaults(64, 4);
        return index;
    }

    private static List<float[]> vectors(int n, long seed) {
        Random random = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestData.vector(random, DIM));
        }
        return out;
    }

    private static long[] labels(long from, int n) {
        return LongStream.range(from, from + n).toArray();
    }

    /** Trains when needed (on the vectors themselves), then adds them under labels 0..n-1. */
    private static void fill(NativeIndex index, List<float[]> vectors) {
        if (!index.isTrained()) {
            index.train(vectors, 1);
        }
        index.add(vectors, labels(0, vectors.size()), 1);
    }

    private static double largestDifference(List<float[]> a, List<float[]> b) {
        double largest = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < DIM; j++) {
                largest = Math.max(largest, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return largest;
    }

    @ParameterizedTest(name = "{0}: exact vectors {1}, tombstones {2}")
    @CsvSource({
            "Flat, true, false",
            "HNSW32, true, true",
            "'HNSW16,Flat', true, true",
            "'IVF4,Flat', true, false",
            "SQ8, false, false",
            "'HNSW32,SQ8', false, true",
            "'IVF4,SQ8', false, false",
            "'IVF4,PQ4', false, false"})
    void knowsWhetherItGivesVectorsBackExactly(String factory, boolean exact, boolean tombstoning) {
        for (Metric metric : Metric.values()) {
            try (NativeIndex index = create(factory, metric)) {
                assertThat(index.storesExactVectors()).as("%s %s stores exact vectors", factory, metric).isEqualTo(exact);
                assertThat(index.tombstoning()).as("%s tombstoning", factory).isEqualTo(tombstoning);
                List<float[]> written = vectors(300, 11);
                fill(index, written);
                long[] asked = {299, 0, 150, 7};
                List<float[]> back = index.reconstruct(asked);
                List<float[]> expected = List.of(written.get(299), written.get(0), written.get(150), written.get(7));
                if (exact) {
                    for (int i = 0; i < asked.length; i++) {
                        assertThat(back.get(i)).as("%s %s vector of label %d", factory, metric, asked[i])
                                .containsExactly(expected.get(i));
                    }
                } else {
                    // Why READ_VECTORS is not declared for compressed codes: they decode to approximations.
                    assertThat(largestDifference(back, expected)).as("%s %s decoding error", factory, metric)
                            .isGreaterThan(1e-6);
                }
            }
        }
    }

    @Test
    void exactVectorsComeBackAfterRemovalsAndARebuild() {
        try (NativeIndex ivf = create("IVF4,Flat", Metric.L2); NativeIndex hnsw = create("HNSW32", Metric.L2)) {
            List<float[]> written = vectors(200, 12);
            fill(ivf, written);
            fill(hnsw, written);
            ivf.remove(labels(0, 100));
            assertThat(ivf.count()).isEqualTo(100);
            hnsw.rebuild(labels(100, 100), 1);
            assertThat(hnsw.count()).isEqualTo(100);
            for (NativeIndex index : List.of(ivf, hnsw)) {
                assertThat(index.reconstruct(new long[] {150, 101})).as(index.factory())
                        .containsExactly(written.get(150), written.get(101));
            }
        }
    }

    @Test
    void aRebuildSwapsTheHandleWithoutLeakingAndKeepsOnlyTheLabelsKept() {
        long before = FaissNative.liveHandles();
        NativeIndex index = create("HNSW32", Metric.COSINE);
        List<float[]> written = vectors(100, 13);
        fill(index, written);
        assertThat(FaissNative.liveHandles()).isEqualTo(before + 1);

        index.rebuild(labels(50, 50), 1);
        assertThat(FaissNative.liveHandles()).as("the old handle is freed").isEqualTo(before + 1);
        assertThat(index.count()).isEqualTo(50);
        float[] distances = new float[10];
        long[] found = new long[10];
        int n = index.search(written.get(3), 10, null, 0, 0, distances, found);
        assertThat(n).isEqualTo(10);
        assertThat(LongStream.of(found).boxed().toList()).allSatisfy(l -> assertThat(l).isBetween(50L, 99L));

        index.close();
        index.close();
        assertThat(FaissNative.liveHandles()).isEqualTo(before);
    }

    @Test
    void searchHonoursTheBitmapAndDistancesAreExact() {
        try (NativeIndex index = create("Flat", Metric.L2)) {
            List<float[]> written = vectors(40, 14);
            fill(index, written);
            byte[] allowed = new byte[5];
            allowed[1] = (byte) 0b0000_0110; // labels 9 and 10
            float[] distances = new float[3];
            long[] found = new long[3];
            assertThat(index.search(written.get(9), 3, allowed, 0, 0, distances, found)).isEqualTo(2);
            assertThat(found[0]).isEqualTo(9);
            assertThat(found[1]).isEqualTo(10);
            assertThat((double) distances[0]).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-5));

            float[] exact = index.distances(written.get(0), new long[] {0, 10});
            double expected = 0;
            for (int j = 0; j < DIM; j++) {
                double d = written.get(0)[j] - written.get(10)[j];
                expected += d * d;
            }
            assertThat(exact[0]).isZero();
            assertThat((double) exact[1]).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void writeThenReadGivesTheSameVectors(@TempDir Path dir) {
        Path file = dir.resolve("index.faiss");
        List<float[]> written = vectors(50, 15);
        try (NativeIndex index = create("HNSW32", Metric.L2)) {
            fill(index, written);
            index.write(file);
        }
        try (NativeIndex read = NativeIndex.read(file, "HNSW32", "FAISS index 'HNSW32' in a test")) {
            assertThat(read.count()).isEqualTo(50);
            assertThat(read.dimension()).isEqualTo(DIM);
            assertThat(read.tombstoning()).isTrue();
            assertThat(read.reconstruct(new long[] {49})).containsExactly(written.get(49));
        }
    }

    @Test
    void failuresNameTheIndex() {
        assertThatThrownBy(() -> NativeIndex.create(DIM, "NoSuchIndex42", Metric.L2, 40, "test"))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("FAISS index 'NoSuchIndex42' cannot be created")
                .hasCauseInstanceOf(FaissNativeException.class);
        try (NativeIndex hnsw = create("HNSW32", Metric.L2)) {
            assertThatThrownBy(() -> hnsw.remove(new long[] {1}))
                    .isInstanceOf(RagBackendException.class)
                    .hasMessageContaining("FAISS index 'HNSW32' failed")
                    .hasMessageContaining("cannot remove");
        }
    }

    @Test
    void aClosedIndexRefusesCallsInsteadOfPassingAFreedHandle() {
        NativeIndex index = create("Flat", Metric.L2);
        index.close();
        assertThatThrownBy(index::count).isInstanceOf(IllegalStateException.class).hasMessageContaining("freed");
        assertThatThrownBy(() -> index.reconstruct(new long[] {0})).isInstanceOf(IllegalStateException.class);
    }
}
