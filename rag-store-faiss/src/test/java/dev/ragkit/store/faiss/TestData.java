package dev.ragkit.store.faiss;

import static dev.ragkit.testkit.Similarity.cosine;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/** Seeded random vectors and chunks for this module's own tests. */
final class TestData {
    static final long SEED = Long.getLong("ragkit.test.seed", 7_340_211L);

    private TestData() {
    }

    static float[] vector(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** {@code n} chunks "doc-i#0" with metadata bucket = i % 1000, half = i % 2, and random vectors. */
    static List<EmbeddedChunk> chunks(Random random, int dimension, int n) {
        List<EmbeddedChunk> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Chunk c = Chunk.of("doc-" + i, 0, "text of chunk " + i, Map.of("bucket", i % 1000, "half", i % 2));
            out.add(new EmbeddedChunk(c, vector(random, dimension)));
        }
        return out;
    }

    /** Ids of the exact top-k by clamped cosine (the store's score), ties by id, among the chunks that pass {@code keep}. */
    static List<String> exactTopK(List<EmbeddedChunk> corpus, float[] query, int k, Predicate<EmbeddedChunk> keep) {
        return corpus.stream().filter(keep)
                .sorted(Comparator.comparingDouble((EmbeddedChunk c) -> -Math.max(0, cosine(query, c.vector())))
                        .thenComparing(EmbeddedChunk::id))
                .limit(k).map(EmbeddedChunk::id).toList();
    }

    static List<String> ids(List<EmbeddedChunk> chunks) {
        return chunks.stream().map(EmbeddedChunk::id).toList();
    }

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    static String seedNote() {
        return " [seed " + SEED + "; reproduce with -Dragkit.test.seed=" + SEED + "]";
    }
}
