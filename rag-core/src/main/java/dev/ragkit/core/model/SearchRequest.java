package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One query to a {@link dev.ragkit.core.spi.VectorStore}: either a vector (dense search) or a text
 * (keyword search), never both; fusion of the two happens in the core.
 *
 * <p>Scores: every hit's score is in [0, 1], higher is more relevant. Dense: the cosine similarity
 * of query and chunk, negatives clamped to 0. Keyword: BM25 divided by the query's maximum
 * attainable BM25 score, so 1 means every query term matched at saturation. {@code minScore} drops
 * hits scoring below it, on that same scale.
 */
public final class SearchRequest {
    private final float[] vector;
    private final String text;
    private final int topK;
    private final Filter filter;
    private final double minScore;

    private SearchRequest(float[] vector, String text, int topK, Filter filter, double minScore) {
        if ((vector == null) == (text == null)) {
            throw new InvalidInputException("a search request needs exactly one of vector or text");
        }
        if (vector != null) {
            if (vector.length == 0) {
                throw new InvalidInputException("query vector was empty");
            }
            Vectors.requireFinite("query vector", vector);
        }
        if (text != null && text.isBlank()) {
            throw new InvalidInputException("query text was empty");
        }
        if (topK < 1) {
            throw new InvalidInputException("topK was " + topK + " but it must be >= 1");
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new InvalidInputException("minScore was " + minScore + " but it must be in [0, 1]");
        }
        this.vector = vector == null ? null : vector.clone();
        this.text = text;
        this.topK = topK;
        this.filter = filter;
        this.minScore = minScore;
    }

    /** Dense search for the {@code topK} chunks nearest to {@code vector}. */
    public static SearchRequest dense(float[] vector, int topK) {
        return new SearchRequest(Objects.requireNonNull(vector, "vector"), null, topK, null, 0);
    }

    /** Keyword (BM25) search for the {@code topK} chunks best matching {@code text}. */
    public static SearchRequest keyword(String text, int topK) {
        return new SearchRequest(null, Objects.requireNonNull(text, "text"), topK, null, 0);
    }

    /** The same request, keeping only chunks that satisfy {@code filter} (null: no filter). */
    public SearchRequest withFilter(Filter filter) {
        return new SearchRequest(vector, text, topK, filter, minScore);
    }

    /** The same request, dropping hits scoring below {@code minScore} (in [0, 1]). */
    public SearchRequest withMinScore(double minScore) {
        return new SearchRequest(vector, text, topK, filter, minScore);
    }

    /** The same request asking for {@code topK} hits. */
    public SearchRequest withTopK(int topK) {
        return new SearchRequest(vector, text, topK, filter, minScore);
    }

    /** A copy of the query vector, when this is a dense search. */
    public Optional<float[]> vector() {
        return Optional.ofNullable(vector).map(float[]::clone);
    }

    /** The query text, when this is a keyword search. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public boolean isDense() {
        return vector != null;
    }

    public int topK() {
        return topK;
    }

    public Optional<Filter> filter() {
        return Optional.ofNullable(filter);
    }

    public double minScore() {
        return minScore;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchRequest that && Arrays.equals(vector, that.vector) && Objects.equals(text, that.text)
                && topK == that.topK && Objects.equals(filter, that.filter) && minScore == that.minScore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(vector), text, topK, filter, minScore);
    }

    @Override
    public String toString() {
        return "SearchRequest[" + (vector != null ? "dense dim=" + vector.length : "keyword '" + text + "'")
                + ", topK=" + topK + ", filter=" + filter + ", minScore=" + minScore + "]";
    }
}
