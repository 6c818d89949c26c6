package dev.ragkit.guard;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained logistic-regression head over one sentence encoder's vectors: the probability that a
 * text is an injection (or toxic) is {@code sigmoid(w · v + b)} for the encoder's query vector
 * {@code v}, blended with the n-gram model's score (see {@link #combined}).
 * Heads are keyed by the {@link dev.ragkit.core.spi.Embedder#id() embedder id} they were trained on;
 * a vector from another encoder means nothing to them.
 *
 * <p>The resource format is plain text, one {@code key=value} per line ({@code #} starts a comment):
 * {@code task}, {@code embedder}, {@code dimension}, {@code blend}, {@code threshold} (used for a
 * language without its own), optional {@code threshold.<lang>} ({@code en}, {@code fr}), {@code bias}
 * and {@code weights} (comma-separated, {@code dimension} values). {@code TrainEncoderHeads} in
 * rag-tools writes it. The head's {@link #id()} is its task, embedder and a digest of its weights,
 * so a score stored with a chunk can be checked against the head in use.
 *
 * <p>A head may instead take its probability from the embedder itself: {@code score} names one of the
 * embedder's {@link dev.ragkit.core.spi.Embedder#queryHeads() query heads} (a classifier the embedder
 * runs in the same pass as the query's vector, e.g. rag-embed-onnx's fine-tuned layers over
 * all-MiniLM's states), and {@code dimension}, {@code bias} and {@code weights} are left out. The file
 * then holds only how to blend that score and the thresholds chosen for the blend.
 *
 * <p>Immutable and thread-safe.
 */
public final class EncoderHead {
    private final String task;
    private final String embedderId;
    /** The embedder's query head whose score this head blends, or null: a logistic head over the vector. */
    private final String embedderScore;
    private final double[] weights;
    private final double bias;
    private final double blend;
    private final double threshold;
    private final Map<String, Double> thresholdByLanguage;
    private final String id;

    private EncoderHead(String task, String embedderId, String embedderScore, double[] weights, double bias, double blend,
                        double threshold, Map<String, Double> thresholdByLanguage) {
        this.task = task;
        this.embedderId = embedderId;
        this.embedderScore = embedderScore;
        this.weights = weights;
        this.bias = bias;
        this.blend = blend;
        this.threshold = threshold;
        this.thresholdByLanguage = Map.copyOf(thresholdByLanguage);
        this.id = task + ":" + embedderId + ":" + digest(embedderScore, weights, bias, blend);
    }

    /**
     * Reads a head from its text form.
     *
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static EncoderHead parse(String text) {
        Map<String, String> kv = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("encoder head line '" + abbreviate(l) + "' is not key=value");
            }
            kv.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        String task = required(kv, "task");
        String embedder = required(kv, "embedder");
        double blend = number(kv, "blend");
        if (!(blend >= 0 && blend <= 1)) {
            throw new IllegalArgumentException("encoder head blend was " + blend + " but it must be within [0, 1]");
        }
        Map<String, Double> byLanguage = new HashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            if (e.getKey().startsWith("threshold.")) {
                byLanguage.put(e.getKey().substring("threshold.".length()), probability(e.getKey(), e.getValue()));
            }
        }
        double threshold = probability("threshold", required(kv, "threshold"));
        String score = kv.get("score");
        if (score != null) {
            for (String key : List.of("dimension", "bias", "weights")) {
                if (kv.containsKey(key)) {
                    throw new IllegalArgumentException("encoder head has both 'score' (the embedder's query head) and '"
                            + key + "' (a head over the vector): keep one kind");
                }
            }
            if (score.isBlank()) {
                throw new IllegalArgumentException("encoder head has no 'score'");
            }
            return new EncoderHead(task, embedder, score, new double[0], 0, blend, threshold, byLanguage);
        }
        int dimension = (int) number(kv, "dimension");
        String[] parts = required(kv, "weights").split(",");
        if (dimension <= 0 || parts.length != dimension) {
            throw new IllegalArgumentException("encoder head weights has " + parts.length + " values but dimension is "
                    + dimension);
        }
        double[] w = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            w[i] = Double.parseDouble(parts[i].strip());
            if (!Double.isFinite(w[i])) {
                throw new IllegalArgumentException("encoder head weight " + i + " is not finite");
            }
        }
        return new EncoderHead(task, embedder, null, w, number(kv, "bias"), blend, threshold, byLanguage);
    }

    /** What the head scores, e.g. {@code injection}. */
    public String task() {
        return task;
    }

    /** The id of the embedder whose vectors the head reads, e.g. {@code onnx:all-minilm-l6-v2-q}. */
    public String embedderId() {
        return embedderId;
    }

    /** Task, embedder id and a digest of the weights: changes whenever the head is retrained. */
    public String id() {
        return id;
    }

    /**
     * The id of the embedder's query head whose score this head blends ({@code score} in its file), or
     * empty for a logistic head over the query vector.
     */
    public Optional<String> embedderScore() {
        return Optional.ofNullable(embedderScore);
    }

    /** Vector length the head reads; 0 for a head that takes the embedder's score. */
    public int dimension() {
        return weights.length;
    }

    /** Weight of the head's probability in the blend with the n-gram score, in [0, 1]. */
    public double blend() {
        return blend;
    }

    /**
     * The decision threshold for {@code language} ({@code en}, {@code fr}), or the general one. German
     * ({@code de}) without a threshold of its own takes the English one, as it did before
     * {@link GuardLanguage} told German apart: the development files label German rows with the English.
     */
    public double threshold(String language) {
        Double own = thresholdByLanguage.get(language);
        if (own == null && GuardLanguage.GERMAN.equals(language)) {
            own = thresholdByLanguage.get(GuardLanguage.ENGLISH);
        }
        return own == null ? threshold : own;
    }

    /**
     * The head's probability for one vector.
     *
     * @throws IllegalArgumentException if the vector's length is not {@link #dimension()}
     */
    public double probability(float[] vector) {
        if (embedderScore != null) {
            throw new IllegalStateException("the head " + id + " reads the embedder's score '" + embedderScore
                    + "', not a vector");
        }
        if (vector.length != weights.length) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions but the head " + id
                    + " reads " + weights.length);
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * vector[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * The n-gram score at and above which the n-gram side decides alone: the explicit override phrases,
     * French slurs and dehumanising generalisations put it there (rule floors), and a blend must not
     * dilute them.
     */
    public static final double RULE_FLOOR = 0.9;

    /**
     * The combined score: {@code blend * head + (1 - blend) * ngram}, or the n-gram score when it is
     * at least {@link #RULE_FLOOR} and higher. Training chooses the thresholds on this same function.
     */
    public double combined(double headProbability, double ngramScore) {
        return combine(blend, headProbability, ngramScore);
    }

    /** {@link #combined} for a given blend weight in [0, 1] (training tries several). */
    public static double combine(double blend, double headProbability, double ngramScore) {
        double b = blend * headProbability + (1 - blend) * ngramScore;
        return ngramScore >= RULE_FLOOR ? Math.max(ngramScore, b) : b;
    }

    @Override
    public String toString() {
        return "EncoderHead[" + id + (embedderScore == null ? "" : ", score " + embedderScore) + ", blend " + blend
                + ", threshold " + threshold + " " + thresholdByLanguage + "]";
    }

    private static String digest(String embedderScore, double[] w, double bias, double blend) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            if (embedderScore != null) {
                // The score's id already digests the weights that compute it.
                md.update(embedderScore.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * (w.length + 2));
            for (double d : w) {
                buf.putDouble(d);
            }
            buf.putDouble(bias).putDouble(blend);
            return java.util.HexFormat.of().formatHex(md.digest(buf.array()), 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String required(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("encoder head has no '" + key + "'");
        }
        return v;
    }

    private static double number(Map<String, String> kv, String key) {
        String v = required(kv, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoder head " + key + " was '" + abbreviate(v) + "' but it must be a number");
        }
    }

    private static double probability(String key, String value) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoder head " + key + " was '" + abbreviate(value) + "' but it must be a number");
        }
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException("encoder head " + key + " was " + d + " but it must be within (0, 1)");
        }
        return d;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Two heads are equal when they were trained to the same weights for the same task and embedder. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderHead h && h.id.equals(id) && h.threshold == threshold
                && h.thresholdByLanguage.equals(thresholdByLanguage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, threshold, thresholdByLanguage);
    }
}
