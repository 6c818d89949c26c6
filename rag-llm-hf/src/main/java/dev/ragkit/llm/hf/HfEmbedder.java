package dev.ragkit.llm.hf;

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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from the Hugging Face router's feature-extraction pipeline
 * ({@code POST <api-base>/<model>/pipeline/feature-extraction}, body {@code {"inputs": [...]}}) or
 * from any OpenAI-compatible {@code POST <api-base>/embeddings}. Batched, with timeouts and
 * retries; no fallback model, since vectors of two models are not comparable. Thread-safe.
 */
public final class HfEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(HfEmbedder.class);

    /** Which wire format the server speaks. */
    public enum Api {
        /** Hugging Face inference: {@code {"inputs": [...]}} in, {@code [[...], ...]} out. */
        FEATURE_EXTRACTION,
        /** OpenAI: {@code {"model", "input": [...]}} in, {@code {"data": [{"index", "embedding"}]}} out. */
        OPENAI
    }

    private final HfSettings settings;
    private final String providerName;
    private final Api api;
    private final String model;
    private final int batchSize;
    private final String documentPrefix;
    private final String queryPrefix;
    private final HttpClient http;
    private final URI uri;
    private volatile int dimension;

    private HfEmbedder(Builder b) {
        this.settings = b.settings.build();
        this.providerName = Objects.requireNonNull(b.providerName, "providerName");
        this.api = Objects.requireNonNull(b.api, "api");
        this.model = HfLlmClient.requireModel(b.model, "model");
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
        this.uri = api == Api.OPENAI ? settings.resolve("embeddings")
                // Concatenated, not resolved: a model id is a path ("org/name"), never a relative URI.
                : URI.create(settings.baseUrl() + model + "/pipeline/feature-extraction");
    }

    /** A builder for the Hugging Face router's feature extraction; token and model are required. */
    public static Builder builder() {
        return new Builder("hf", HfSettings.ROUTER_MODELS, true, Api.FEATURE_EXTRACTION);
    }

    /** A builder for an OpenAI-compatible {@code /embeddings}; API base and model are required. */
    public static Builder openAiCompatible() {
        return new Builder("openai-compatible", null, false, Api.OPENAI);
    }

    /** {@code <provider>:<model>}, plus the prefixes when set (they change the vectors). */
    @Override
    public String id() {
        String id = providerName + ":" + model;
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
        return new ModelChain(providerName, "embed", List.of(model), settings.retryPolicy(), LOG)
                .run(m -> embedOnce(m, inputs), () -> false);
    }

    private List<float[]> embedOnce(String m, List<String> inputs) throws CallFailure {
        ObjectNode root = Exchange.JSON.createObjectNode();
        if (api == Api.OPENAI) {
            root.put("model", m);
            ArrayNode input = root.putArray("input");
            inputs.forEach(input::add);
        } else {
            ArrayNode input = root.putArray("inputs");
            inputs.forEach(input::add);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(root.toString()));
        try (Exchange exchange = settings.send(http, settings.authorize(request).build(), m)) {
            exchange.awaitOk(settings.totalTimeout(), "waiting for the embeddings");
            JsonNode json = exchange.readJson(settings.totalTimeout());
            List<JsonNode> rows = api == Api.OPENAI ? openAiRows(json, m, exchange.status(), inputs.size())
                    : featureRows(json, m, exchange.status(), inputs.size());
            int expected = dimension;
            List<float[]> vectors = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                float[] vector = vector(rows.get(i), m, exchange.status(), i);
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

    private static List<JsonNode> featureRows(JsonNode json, String m, int status, int n) throws CallFailure {
        if (!json.isArray() || json.size() != n) {
            throw Failures.malformed(m, status, "expected an array of " + n + " vectors but got "
                    + (json.isArray() ? json.size() + " elements" : json.getNodeType().toString().toLowerCase()), null);
        }
        List<JsonNode> rows = new ArrayList<>(n);
        for (JsonNode row : json) {
            if (row.isArray() && row.size() > 0 && row.get(0).isArray()) {
                throw Failures.malformed(m, status, "the model returned one vector per token, not per text; "
                        + "use a sentence-embedding model (e.g. sentence-transformers/all-MiniLM-L6-v2)", null);
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<JsonNode> openAiRows(JsonNode json, String m, int status, int n) throws CallFailure {
        JsonNode data = json.path("data");
        if (!data.isArray() || data.size() != n) {
            throw Failures.malformed(m, status, "expected \"data\" with " + n + " embeddings but got "
                    + (data.isArray() ? data.size() : "none"), null);
        }
        JsonNode[] rows = new JsonNode[n];
        for (int i = 0; i < n; i++) {
            JsonNode item = data.get(i);
            // "index" says which input an item embeds; servers may answer out of order.
            int index = item.path("index").isInt() ? item.path("index").asInt() : i;
            if (index < 0 || index >= n || rows[index] != null) {
                throw Failures.malformed(m, status, "embedding index " + index + " is out of range or repeated", null);
            }
            rows[index] = item.path("embedding");
        }
        return Arrays.asList(rows);
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

    /** Never shows the token. */
    @Override
    public String toString() {
        return "HfEmbedder[" + providerName + ", " + api + ", " + settings.baseUrl() + ", model=" + model
                + (settings.secret() == null ? "" : ", token=***") + "]";
    }

    /** Builds an {@link HfEmbedder}. */
    public static final class Builder {
        private final HfSettings.Builder settings = new HfSettings.Builder();
        private String providerName;
        private Api api;
        private String model;
        private Integer dimension;
        private int batchSize = 32;
        private String documentPrefix;
        private String queryPrefix;

        private Builder(String providerName, String apiBase, boolean tokenRequired, Api api) {
            this.providerName = providerName;
            this.api = api;
            settings.baseUrl(apiBase);
            settings.tokenRequired(tokenRequired);
            settings.totalTimeout(Duration.ofSeconds(120));
        }

        /**
         * API base: for feature extraction the models root (default
         * {@code https://router.huggingface.co/hf-inference/models}), for OpenAI the versioned root
         * (e.g. {@code http://127.0.0.1:8000/v1}).
         */
        public Builder apiBase(String apiBase) {
            settings.baseUrl(apiBase);
            return this;
        }

        /** Bearer token; required for the Hugging Face router. Never logged. */
        public Builder token(String token) {
            settings.token(token);
            return this;
        }

        /** The wire format; set by the factory method, changeable for a TEI or OpenAI server. */
        public Builder api(Api api) {
            this.api = api;
            return this;
        }

        /** The embedding model, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}; required. */
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

        /** Text put before every passage (e.g. {@code passage: } for E5 models). */
        public Builder documentPrefix(String prefix) {
            this.documentPrefix = prefix;
            return this;
        }

        /** Text put before every query (e.g. {@code query: } for E5 models). */
        public Builder queryPrefix(String prefix) {
            this.queryPrefix = prefix;
            return this;
        }

        /** Prefix of {@link #id()}; {@code hf} or {@code openai-compatible} by default. */
        public Builder providerName(String providerName) {
            this.providerName = providerName;
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

        /** Longest {@code Retry-After} (or 503 {@code estimated_time}) honoured; default 30 s. */
        public Builder maxRetryAfter(Duration max) {
            settings.maxRetryAfter(max);
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
        public HfEmbedder build() {
            return new HfEmbedder(this);
        }
    }
}
