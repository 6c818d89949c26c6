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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
            // Journalled only, not flushed: the reopen replays them.
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
        }
        try (FaissVectorStore reopened = store(index, metric, dir).build()) {
            List<EmbeddedChunk> reversed = new ArrayList<>(expected);
            Collections.reverse(reversed);
            assertVectors(reopened.getEmbedded(TestData.ids(reversed)), reversed, metric, index + " after reopening");
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
