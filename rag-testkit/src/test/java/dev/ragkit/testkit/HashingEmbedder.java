package dev.ragkit.testkit;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.spi.Embedder;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic fake embedder: a bag of case- and accent-folded words hashed into 64 buckets.
 * Texts sharing words are near each other, which is enough for the kit's semantic sanity checks.
 * It holds nothing, so it keeps the default {@code close()} and stays usable after it.
 */
final class HashingEmbedder implements Embedder {
    private static final int DIMENSION = 64;

    @Override
    public String id() {
        return "hashing:bow-64";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("text " + i + " was '" + text + "' but it must be non-blank");
            }
        }
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was '" + query + "' but it must be non-blank");
        }
        return embed(query);
    }

    private static float[] embed(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        float[] v = new float[DIMENSION];
        // A constant component keeps every vector non-zero, even for text made only of punctuation.
        v[0] = 0.01f;
        for (String word : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), DIMENSION)] += 1f;
            }
        }
        return v;
    }
}
