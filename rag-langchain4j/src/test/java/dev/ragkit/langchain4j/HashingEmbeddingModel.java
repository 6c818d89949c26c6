package dev.ragkit.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic LangChain4j embedding model for tests: each lowercase word adds 1 to a hashed component,
 * plus a constant component so no vector is zero. Texts sharing words are similar, which is all the
 * ingestion and retrieval tests need. Counts its calls.
 */
final class HashingEmbeddingModel implements EmbeddingModel {
    static final int DIMENSION = 64;
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        calls.incrementAndGet();
        List<Embedding> out = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            out.add(Embedding.from(vector(s.text())));
        }
        return Response.from(out);
    }

    static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        v[0] = 0.5f;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[1 + Math.floorMod(word.hashCode(), DIMENSION - 1)] += 1;
            }
        }
        return v;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String modelName() {
        return "hashing-64";
    }
}
