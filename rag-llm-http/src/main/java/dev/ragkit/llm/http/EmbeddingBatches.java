package dev.ragkit.llm.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of an HTTP embedder that does not depend on the wire format: input checks, prefixes,
 * batching, the dimension (configured, or probed once with one embedded text), and reading each
 * returned vector with a check that all have that dimension. The adapter supplies one request for
 * one batch. Thread-safe.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class EmbeddingBatches {
    /** One request embedding a batch of already prefixed texts, one vector per text in order. */
    @FunctionalInterface
    public interface Request {
        /** Embeds {@code inputs}; throws {@link dev.ragkit.core.RagBackendException} when the server cannot. */
        List<float[]> embed(List<String> inputs);
    }

    private final int batchSize;
    private final String documentPrefix;
    private final String queryPrefix;
    private final Request request;
    private volatile int dimension;

    private EmbeddingBatches(Builder b, Request request) {
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize was " + b.batchSize + " but it must be >= 1");
        }
        if (b.dimension != null && b.dimension < 1) {
            throw new IllegalArgumentException("dimension was " + b.dimension + " but it must be >= 1");
        }
        this.batchSize = b.batchSize;
        this.documentPrefix = Objects.requireNonNullElse(b.documentPrefix, "");
        this.queryPrefix = Objects.requireNonNullElse(b.queryPrefix, "");
        this.dimension = b.dimension == null ? 0 : b.dimension;
        this.request = Objects.requireNonNull(request, "request");
    }

    /**
     * {@code base}, plus the prefixes when set, since they change the vectors:
     * {@code base[doc='...',query='...']}.
     */
    public String id(String base) {
        return documentPrefix.isEmpty() && queryPrefix.isEmpty() ? base
                : base + "[doc='" + documentPrefix + "',query='" + queryPrefix + "']";
    }

    /**
     * The configured dimension, or else the length of a vector embedded once to find out (the first
     * call then contacts the server and may throw {@link dev.ragkit.core.RagBackendException}).
     */
    public int dimension() {
        int d = dimension;
        if (d == 0) {
            synchronized (this) {
                if (dimension == 0) {
                    dimension = request.embed(List.of("dimension probe")).get(0).length;
                }
                d = dimension;
            }
        }
        return d;
    }

    /**
     * One vector per text, each text prefixed with the document prefix, in batches.
     *
     * @throws InvalidInputException naming the first null or blank text
     */
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("texts[" + i + "] was " + (text == null ? "null" : "'" + text + "'")
                        + " but it must be non-blank text");
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                batch.add(documentPrefix + text);
            }
            out.addAll(request.embed(batch));
        }
        return List.copyOf(out);
    }

    /**
     * The vector of {@code query}, prefixed with the query prefix.
     *
     * @throws InvalidInputException when the query is null or blank
     */
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was " + (query == null ? "null" : "'" + query + "'")
                    + " but it must be non-blank text");
        }
        return request.embed(List.of(queryPrefix + query)).get(0);
    }

    /**
     * Reads each row as a vector of finite numbers, all of the embedder's dimension (or, while it is
     * not known yet, of the first row's).
     *
     * @param model and {@code status} go into the failure's message
     * @throws CallFailure (malformed answer) naming the row, and the component, that is wrong
     */
    public List<float[]> vectors(List<JsonNode> rows, String model, int status) throws CallFailure {
        int expected = dimension;
        List<float[]> vectors = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            float[] vector = vector(rows.get(i), model, status, i);
            if (expected != 0 && vector.length != expected) {
                throw Failures.malformed(model, status, "vector " + i + " has " + vector.length
                        + " dimensions but the embedder's dimension is " + expected, null);
            }
            expected = vector.length;
            vectors.add(vector);
        }
        return vectors;
    }

    private static float[] vector(JsonNode node, String model, int status, int index) throws CallFailure {
        if (!node.isArray() || node.isEmpty()) {
            throw Failures.malformed(model, status, "embedding " + index + " is not a non-empty array of numbers",
                    null);
        }
        float[] vector = new float[node.size()];
        for (int j = 0; j < vector.length; j++) {
            JsonNode x = node.get(j);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw Failures.malformed(model, status, "embedding " + index + " component " + j + " is " + x
                        + ", not a finite number", null);
            }
            vector[j] = (float) x.asDouble();
        }
        return vector;
    }

    /**
     * Collects the settings; defaults: 32 texts per request, no prefixes, the dimension probed.
     * Setters only store; checks happen in {@link #build}.
     */
    public static final class Builder {
        private Integer dimension;
        private int batchSize = 32;
        private String documentPrefix;
        private String queryPrefix;

        /** A builder with the defaults above. */
        public Builder() {
        }

        /** The vector length; null to probe it on first use. */
        public void dimension(Integer value) {
            dimension = value;
        }

        /** Texts per request, at least 1. */
        public void batchSize(int value) {
            batchSize = value;
        }

        /** Put before every passage; null for none. */
        public void documentPrefix(String value) {
            documentPrefix = value;
        }

        /** Put before every query; null for none. */
        public void queryPrefix(String value) {
            queryPrefix = value;
        }

        /**
         * The batches, embedding each through {@code request} (called only after construction, so an
         * embedder may pass a method of its own while it is being constructed).
         *
         * @throws IllegalArgumentException naming {@code batchSize} or {@code dimension} when below 1
         */
        public EmbeddingBatches build(Request request) {
            return new EmbeddingBatches(this, request);
        }
    }
}
