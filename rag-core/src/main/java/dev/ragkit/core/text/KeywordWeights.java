package dev.ragkit.core.text;

/**
 * How much Ragkit's BM25 ({@link Bm25Index}) rewards more than the query's whole terms, each 0 to turn it off.
 *
 * @param proximity how much the query's terms standing close together in a text count
 *                  ({@link Bm25Index#DEFAULT_PROXIMITY_WEIGHT} by default)
 * @param subword   how much the query's terms sharing character n-grams with a text's terms count: a
 *                  misspelt word, another form of a word the stemmer does not join, a compound or a chemical
 *                  name still match ({@link Bm25Index#DEFAULT_SUBWORD_WEIGHT} by default)
 */
public record KeywordWeights(double proximity, double subword) {
    /** Ragkit's defaults: proximity and subwords as chosen in rag-eval's README. */
    public static final KeywordWeights DEFAULTS =
            new KeywordWeights(Bm25Index.DEFAULT_PROXIMITY_WEIGHT, Bm25Index.DEFAULT_SUBWORD_WEIGHT);
    /** Whole terms as a bag of words: BM25 as the published baselines compute it. */
    public static final KeywordWeights PLAIN_BM25 = new KeywordWeights(0, 0);

    /** @throws IllegalArgumentException naming the weight that is negative, infinite or NaN */
    public KeywordWeights {
        if (!isWeight(proximity)) {
            throw new IllegalArgumentException("BM25 proximity weight must be finite and >= 0 (0 for none), got "
                    + proximity);
        }
        if (!isWeight(subword)) {
            throw new IllegalArgumentException("BM25 subword weight must be finite and >= 0 (0 for none), got "
                    + subword);
        }
    }

    /** Whether {@code weight} can be one of these weights: finite and >= 0. */
    public static boolean isWeight(double weight) {
        return weight >= 0 && Double.isFinite(weight);
    }

    public KeywordWeights withProximity(double weight) {
        return new KeywordWeights(weight, subword);
    }

    public KeywordWeights withSubword(double weight) {
        return new KeywordWeights(proximity, weight);
    }
}
