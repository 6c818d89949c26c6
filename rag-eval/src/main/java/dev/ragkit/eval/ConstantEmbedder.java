package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-dimensional embedder that gives every text the same vector. Used for keyword-only (BM25)
 * evaluation, so documents still go through Ragkit's {@code Ingestor} and store while no model runs;
 * dense scores from it carry no information and are never used.
 */
public final class ConstantEmbedder implements Embedder {
    /** Creates the embedder. */
    public ConstantEmbedder() {
    }

    @Override
    public String id() {
        return "constant:1";
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new InvalidInputException("texts[" + i + "] was empty");
            }
            out.add(new float[] {1f});
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was empty");
        }
        return new float[] {1f};
    }
}
