package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A query's vector and the scores that classifier heads computed in the same model pass, keyed by
 * head id (see {@link dev.ragkit.core.spi.Embedder#embedQueryScored}). The vector is copied in and
 * out, so an instance never changes.
 */
public final class ScoredQuery {
    private final float[] vector;
    private final Map<String, Double> scores;

    /**
     * @throws InvalidInputException if the vector is empty or not finite, or a score is not finite
     */
    public ScoredQuery(float[] vector, Map<String, Double> scores) {
        if (vector == null || vector.length == 0) {
            throw new InvalidInputException("query vector was empty");
        }
        Vectors.requireFinite("query vector", vector);
        Objects.requireNonNull(scores, "scores");
        scores.forEach((head, score) -> {
            if (score == null || !Double.isFinite(score)) {
                throw new InvalidInputException("score of head '" + head + "' was " + score + " but it must be finite");
            }
        });
        this.vector = vector.clone();
        this.scores = Map.copyOf(scores);
    }

    /** A copy of the query's vector. */
    public float[] vector() {
        return vector.clone();
    }

    /** Every head's score, by head id; empty when the embedder runs no head. */
    public Map<String, Double> scores() {
        return scores;
    }

    /** The score of head {@code headId}, or empty when that head did not score the query. */
    public OptionalDouble score(String headId) {
        Double s = scores.get(headId);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
    }

    @Override
    public String toString() {
        return "ScoredQuery[dimension=" + vector.length + ", scores=" + scores + "]";
    }
}
