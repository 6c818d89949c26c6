package dev.ragkit.examples.cli;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test embedder {@code test-hash}: a bag of hashed words, fast and deterministic, so CLI tests do not
 * load an ONNX model. Keys: {@code dimension} (default 64) and {@code fail-after-calls} (default 0 =
 * never), {@code delay-ms} (default 0: a pause before each {@code embedDocuments} call): the embedder throws on every {@code embedDocuments} call after that many, which is how the
 * tests interrupt an ingestion half-way.
 */
public final class HashingEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return "test-hash";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        int dimension = config.integer("dimension", 64);
        int failAfter = config.integer("fail-after-calls", 0);
        int delayMillis = config.integer("delay-ms", 0);
        config.validate();
        return new HashingEmbedder(dimension, failAfter, delayMillis);
    }

    /** The embedder itself. */
    static final class HashingEmbedder implements Embedder {
        private final int dimension;
        private final int failAfterCalls;
        private final AtomicInteger calls = new AtomicInteger();

        private final int delayMillis;

        HashingEmbedder(int dimension, int failAfterCalls) {
            this(dimension, failAfterCalls, 0);
        }

        HashingEmbedder(int dimension, int failAfterCalls, int delayMillis) {
            this.dimension = dimension;
            this.failAfterCalls = failAfterCalls;
            this.delayMillis = delayMillis;
        }

        @Override
        public String id() {
            return "test-hash:" + dimension;
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            int call = calls.incrementAndGet();
            if (failAfterCalls > 0 && call > failAfterCalls) {
                throw RagBackendException.permanent(id(), "simulated failure on embedding call " + call, null);
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // a slow model, so that a test can kill the process mid-way
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RagBackendException.retriable(id(), "interrupted", e);
                }
            }
            List<float[]> out = new ArrayList<>(texts.size());
            texts.forEach(t -> out.add(vector(t)));
            return out;
        }

        @Override
        public float[] embedQuery(String query) {
            return vector(query);
        }

        private float[] vector(String text) {
            float[] v = new float[dimension];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!word.isEmpty()) {
                    v[Math.floorMod(word.hashCode(), dimension)] += 1f;
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            if (norm == 0) {
                v[0] = 1f; // punctuation only: any fixed unit vector keeps cosine defined
                return v;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            return v;
        }
    }
}
