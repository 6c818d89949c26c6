package dev.ragkit.llm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.llm.http.CallFailure;
import dev.ragkit.llm.http.Exchange;
import dev.ragkit.llm.http.EmbeddingBatches;
import dev.ragkit.llm.http.Failures;
import dev.ragkit.llm.http.EmbedderClientBuilder;
import dev.ragkit.llm.http.HttpEmbedder;
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
public final class HfEmbedder extends HttpEmbedder {
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
    private final HttpClient http;
    private final URI uri;

    private HfEmbedder(Builder b) {
        this(b, b.settings.build());
    }

    private HfEmbedder(Builder b, HfSettings settings) {
        super(Objects.requireNonNull(b.providerName, "providerName"), HfLlmClient.requireModel(b.model, "model"),
                b.batches, settings.retryPolicy(), LOG);
        this.settings = settings;
        this.providerName = b.providerName;
        this.api = Objects.requireNonNull(b.api, "api");
        this.http = settings.httpClient();
        this.uri = api == Api.OPENAI ? settings.resolve("embeddings")
                // Concatenated, not resolved: a model id is a path ("org/name"), never a relative URI.
                : URI.create(settings.baseUrl() + model() + "/pipeline/feature-extraction");
    }

    /** A builder for the Hugging Face router's feature extraction; token and model are required. */
    public static Builder builder() {
        return new Builder("hf", HfSettings.ROUTER_MODELS, true, Api.FEATURE_EXTRACTION);
    }

    /** A builder for an OpenAI-compatible {@code /embeddings}; API base and model are required. */
    public static Builder openAiCompatible() {
        return new Builder("openai-compatible", null, false, Api.OPENAI);
    }

    @Override
    protected List<float[]> embedOnce(String m, List<String> inputs) throws CallFailure {
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
            return vectors(rows, m, exchange.status());
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

    /** Never shows the token. */
    @Override
    public String toString() {
        return "HfEmbedder[" + providerName + ", " + api + ", " + settings.baseUrl() + ", model=" + model()
                + (settings.secret() == null ? "" : ", token=***") + "]";
    }

    /**
     * Builds an {@link HfEmbedder}; the timeout, retry and backoff setters are inherited from
     * {@link EmbedderClientBuilder} (the total timeout defaults to 120 s here, per batch).
     */
    public static final class Builder extends EmbedderClientBuilder<Builder> {
        private final HfSettings.Builder settings;
        private final EmbeddingBatches.Builder batches;
        private String providerName;
        private Api api;
        private String model;

        private Builder(String providerName, String apiBase, boolean tokenRequired, Api api) {
            this(new HfSettings.Builder(), new EmbeddingBatches.Builder(), providerName, apiBase, tokenRequired, api);
        }

        private Builder(HfSettings.Builder settings, EmbeddingBatches.Builder batches, String providerName,
                        String apiBase, boolean tokenRequired, Api api) {
            super(settings, batches);
            this.settings = settings;
            this.batches = batches;
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

        /**
         * Bearer token looked up per request (e.g. {@code vault:secret/data/rag#hf_token} through the
         * Vault resolver's lease cache), so a rotated token is used without rebuilding the client. Never logged.
         */
        public Builder token(dev.ragkit.core.secret.Credential token) {
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

        /** Prefix of {@link #id()}; {@code hf} or {@code openai-compatible} by default. */
        public Builder providerName(String providerName) {
            this.providerName = providerName;
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
