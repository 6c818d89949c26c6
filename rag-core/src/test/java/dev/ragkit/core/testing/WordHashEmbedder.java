package dev.ragkit.core.testing;

import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test embedder: analysed words hashed into buckets, then normalised, so texts
 * sharing words are close. Counts the texts it embeds and can be told to fail after some calls.
 */
public final class WordHashEmbedder implements Embedder {
    private final int dimension;
    private final String model;
    private final TextAnalyzer analyzer = TextAnalyzer.frenchEnglish();
    private final AtomicInteger textsEmbedded = new AtomicInteger();
    private final AtomicInteger queriesEmbedded = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failAfterCalls = Integer.MAX_VALUE;

    public WordHashEmbedder(int dimension) {
        this(dimension, "");
    }

    /** An embedder whose id names {@code model} too: another model for the index-info checks. */
    public WordHashEmbedder(int dimension, String model) {
        this.dimension = dimension;
        this.model = model;
    }

    public WordHashEmbedder() {
        this(64);
    }

    /** Makes every call after the first {@code calls} throw, like a backend going down. */
    public WordHashEmbedder failAfter(int calls) {
        this.failAfterCalls = calls;
        return this;
    }

    public int textsEmbedded() {
        return textsEmbedded.get();
    }

    /** Calls of {@link #embedQuery}. */
    public int queriesEmbedded() {
        return queriesEmbedded.get();
    }

    @Override
    public String id() {
        return "word-hash-" + dimension + (model.isEmpty() ? "" : "-" + model);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (calls.incrementAndGet() > failAfterCalls) {
            throw dev.ragkit.core.RagBackendException.retriable(id(), "simulated outage", null);
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        textsEmbedded.addAndGet(texts.size());
        return out;
    }

    @Override
    public float[] embedQuery(String text) {
        queriesEmbedded.incrementAndGet();
        return embed(text);
    }

    private float[] embed(String text) {
        float[] v = new float[dimension];
        for (String token : analyzer.analyze(text)) {
            v[Math.floorMod(token.hashCode(), dimension)] += 1f;
        }
        if (isZero(v)) {
            v[0] = 1f; // a text with no content words still gets a valid direction
        }
        return Vectors.normalised("test vector", v);
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }
}
