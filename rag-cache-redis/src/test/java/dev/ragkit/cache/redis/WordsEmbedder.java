package dev.ragkit.cache.redis;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A deterministic test embedder: words hashed into 32 buckets, normalised; counts the queries it embeds. */
public final class WordsEmbedder implements Embedder {
    static final int DIMENSION = 32;
    final AtomicInteger queries = new AtomicInteger();

    @Override
    public String id() {
        return "test-words:" + DIMENSION;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        texts.forEach(t -> out.add(vector(t)));
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        queries.incrementAndGet();
        return vector(query);
    }

    private static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
            }
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < DIMENSION; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** {@code test-words}. */
    public static final class Provider implements EmbedderProvider {
        @Override
        public String name() {
            return "test-words";
        }

        @Override
        public Embedder create(ProviderConfig config) {
            return new WordsEmbedder();
        }
    }
}
