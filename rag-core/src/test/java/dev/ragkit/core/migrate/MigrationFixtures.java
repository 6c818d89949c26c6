package dev.ragkit.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Seeded chunks, and the check that two stores hold the same chunks and vectors. */
final class MigrationFixtures {
    static final long SEED = Long.getLong("ragkit.test.seed", 18_2026L);
    static final int DIMENSION = 16;

    private MigrationFixtures() {
    }

    static String seedNote() {
        return " (seed " + SEED + ", rerun with -Dragkit.test.seed=" + SEED + ")";
    }

    static float[] vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static EmbeddedChunk chunk(Random random, String doc, int version) {
        Chunk c = Chunk.of(doc, 0, "text of " + doc + " version " + version,
                Map.of("version", version, "lang", version % 2 == 0 ? "en" : "fr"));
        return new EmbeddedChunk(c, vector(random));
    }

    static List<EmbeddedChunk> chunks(Random random, String prefix, int n) {
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(chunk(random, prefix + i, 0));
        }
        return out;
    }

    /** Every chunk of {@code store} with its vector, by id. */
    static Map<String, EmbeddedChunk> contents(VectorStore store) {
        Map<String, EmbeddedChunk> all = new TreeMap<>();
        String cursor = null;
        do {
            var page = store.scan(null, cursor, 500);
            List<String> ids = page.chunks().stream().map(Chunk::id).toList();
            store.getEmbedded(ids).forEach(c -> all.put(c.id(), c));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    /** Same ids, chunks (text, hash, metadata) and vectors within the READ_VECTORS tolerance (1e-6). */
    static void assertSameContents(VectorStore expected, VectorStore actual, String context) {
        Map<String, EmbeddedChunk> a = contents(expected);
        Map<String, EmbeddedChunk> b = contents(actual);
        assertThat(b.keySet()).as("ids; " + context).containsExactlyElementsOf(a.keySet());
        for (Map.Entry<String, EmbeddedChunk> e : a.entrySet()) {
            EmbeddedChunk other = b.get(e.getKey());
            assertThat(other.chunk()).as("chunk " + e.getKey() + "; " + context).isEqualTo(e.getValue().chunk());
            float[] x = e.getValue().vector();
            float[] y = other.vector();
            assertThat(y).as("vector of " + e.getKey() + "; " + context).hasSameSizeAs(x);
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).as("vector of " + e.getKey() + "[" + i + "]; " + context)
                        .isCloseTo(x[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }
}
