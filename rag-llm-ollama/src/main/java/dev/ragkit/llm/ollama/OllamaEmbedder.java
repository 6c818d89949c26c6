package dev.ragkit.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.llm.http.CallFailure;
import dev.ragkit.llm.http.Exchange;
import dev.ragkit.llm.http.Failures;
import dev.ragkit.llm.http.ModelChain;
import dev.ragkit.llm.http.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from a model served by Ollama ({@code POST /api/embed}, batched), with timeouts and
 * retries. There is no fallback model: vectors of two models are not comparable. Thread-safe.
 *
 * <pre>{@code
 * Embedder embedder = OllamaEmbedder.builder().model("nomic-embed-text")
 *         .documentPrefix("search_document: ").queryPrefix("search_query: ").build();
 * }</pre>
 */
public final class OllamaEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaEmbedder.class);

    private final OllamaSettings settings;
    private final String model;
    private final int batchSize;
    private final String documentPrefix;
    private final String queryPrefix;
    private final HttpClient http;
    private final URI embedUri;
    private volatile int dimension;

    private OllamaEmbedder(Builder b) {
        this.settings = b.settings.build();
        this.model = OllamaLlmClient.requireModel(b.model, "model");
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
        this.http = settings.httpClient();
        this.embedUri = settings.resolve("api/embed");
    }

    /** A builder; {@link Builder#model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code ollama:<model>}, plus the prefixes when set (they change the vectors). */
    @Override
    public String id() {
        String id = OllamaLlmClient.BACKEND + ":" + model;
        return documentPrefix.isEmpty() && queryPrefix.isEmpty() ? id
                : id + "[doc='" + documentPrefix + "',query='" + queryPrefix + "']";
    }

    /**
     * The configured dimension, or else the length of a vector embedded once to find out (the first
     * call then contacts the server and may throw {@link dev.ragkit.core.RagBackendException}).
     */
    @Override
    public int dimension() {
        int d = dimension;
        if (d == 0) {
            synchronized (this) {
                if (dimension == 0) {
                    dimension = embedBatch(List.of("dimension probe")).get(0).length;
                }
                d = dimension;
            }
        }
        return d;
    }

    @Override
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
            out.addAll(embedBatch(batch));
        }
        return List.copyOf(out);
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was " + (query == null ? "null" : "'" + query + "'")
                    + " but it must be non-blank text");
        }
        return embedBatch(List.of(queryPrefix + query)).get(0);
    }

    private List<float[]> embedBatch(List<String> inputs) {
        ModelChain chain = new ModelChain(OllamaLlmClient.BACKEND, "embed", List.of(model), settings.retryPolicy(), LOG);
        return chain.run(m -> embedOnce(m, inputs), () -> false);
    }

    private List<float[]> embedOnce(String m, List<String> inputs) throws CallFailure {
        ObjectNode root = Exchange.JSON.createObjectNode();
        root.put("model", m);
        ArrayNode input = root.putArray("input");
        inputs.forEach(input::add);
        if (settings.keepAlive() != null) {
            root.put("keep_alive", settings.keepAlive());
        }
        HttpRequest request = HttpRequest.newBuilder(embedUri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(root.toString())).build();
        try (Exchange exchange = Exchange.send(http, request, m)) {
            exchange.awaitOk(settings.totalTimeout(), "waiting for the embeddings");
            JsonNode json = exchange.readJson(settings.totalTimeout());
            JsonNode embeddings = json.path("embeddings");
            if (!embeddings.isArray() || embeddings.size() != inputs.size()) {
                throw Failures.malformed(m, exchange.status(), "expected \"embeddings\" with " + inputs.size()
                        + " vectors but got " + (embeddings.isArray() ? embeddings.size() + " vectors" : "none"), null);
            }
            int expected = dimension;
            List<float[]> vectors = new ArrayList<>(inputs.size());
            for (int i = 0; i < embeddings.size(); i++) {
                float[] vector = vector(embeddings.get(i), m, exchange.status(), i);
                if (expected != 0 && vector.length != expected) {
                    throw Failures.malformed(m, exchange.status(), "vector " + i + " has " + vector.length
                            + " dimensions but the embedder's dimension is " + expected, null);
                }
                expected = vector.length;
                vectors.add(vector);
            }
            return vectors;
        }
    }

    private static float[] vector(JsonNode node, String m, int status, int index) throws CallFailure {
        if (!node.isArray() || node.isEmpty()) {
            throw Failures.malformed(m, status, "embedding " + index + " is not a non-empty array of numbers", null);
        }
        float[] vector = new float[node.size()];
        for (int j = 0; j < vector.length; j++) {
            JsonNode x = node.get(j);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw Failures.malformed(m, status, "embedding " + index + " component " + j + " is " + x
                        + ", not a finite number", null);
            }
            vector[j] = (float) x.asDouble();
        }
        return vector;
    }

    @Override
    public String toString() {
        return "OllamaEmbedder[" + settings.baseUrl() + ", model=" + model + "]";
    }

    /** Builds an {@link OllamaEmbedder}. */
    public static final class Builder {
        private final OllamaSettings.Builder settings = new OllamaSettings.Builder();
        private String model;
        private Integer dimension;
        private int batchSize = 32;
        private String documentPrefix;
        private String queryPrefix;

        private Builder() {
            settings.totalTimeout(Duration.ofSeconds(120));
        }

        /** Server address; default {@code http://127.0.0.1:11434}. */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /** The embedding model, e.g. {@code nomic-embed-text}; required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The vector length; when not set it is found by embedding one text on first use. */
        public Builder dimension(Integer dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Texts per request; default 32. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Text put before every passage (some models are trained with one, e.g. {@code search_document: }). */
        public Builder documentPrefix(String prefix) {
            this.documentPrefix = prefix;
            return this;
        }

        /** Text put before every query, e.g. {@code search_query: }. */
        public Builder queryPrefix(String prefix) {
            this.queryPrefix = prefix;
            return this;
        }

        /** Limit on opening the connection; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(timeout);
            return this;
        }

        /** Limit on one request (one batch); default 120 s. */
        public Builder totalTimeout(Duration timeout) {
            settings.totalTimeout(timeout);
            return this;
        }

        /** Extra attempts after a transient failure; default 2. */
        public Builder retries(int retries) {
            settings.retries(retries);
            return this;
        }

        /** Exponential backoff bounds (jitter added); default 500 ms to 8 s. */
        public Builder backoff(Duration initial, Duration max) {
            settings.backoff(initial, max);
            return this;
        }

        /** Longest {@code Retry-After} honoured; default 30 s. */
        public Builder maxRetryAfter(Duration max) {
            settings.maxRetryAfter(max);
            return this;
        }

        /** How long Ollama keeps the model loaded after a call; default: the server's. */
        public Builder keepAlive(String keepAlive) {
            settings.keepAlive(keepAlive);
            return this;
        }

        /** Seed of the backoff jitter, for reproducible tests. */
        public Builder jitterSeed(long seed) {
            settings.jitterSeed(seed);
            return this;
        }

        /** How to wait between attempts; tests pass one that records instead of sleeping. */
        public Builder sleeper(Sleeper sleeper) {
            settings.sleeper(sleeper);
            return this;
        }

        /**
         * Builds the embedder; contacts no server.
         *
         * @throws IllegalArgumentException naming the first bad setting
         */
        public OllamaEmbedder build() {
            return new OllamaEmbedder(this);
        }
    }
}
