package dev.ragkit.llm.ollama;

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
import java.util.List;
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
public final class OllamaEmbedder extends HttpEmbedder {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaEmbedder.class);

    private final OllamaSettings settings;
    private final HttpClient http;
    private final URI embedUri;

    private OllamaEmbedder(Builder b) {
        this(b, b.settings.build());
    }

    private OllamaEmbedder(Builder b, OllamaSettings settings) {
        super(OllamaLlmClient.BACKEND, OllamaLlmClient.requireModel(b.model, "model"), b.batches,
                settings.retryPolicy(), LOG);
        this.settings = settings;
        this.http = settings.httpClient();
        this.embedUri = settings.resolve("api/embed");
    }

    /** A builder; {@link Builder#model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected List<float[]> embedOnce(String m, List<String> inputs) throws CallFailure {
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
            List<JsonNode> rows = new ArrayList<>(embeddings.size());
            embeddings.forEach(rows::add);
            return vectors(rows, m, exchange.status());
        }
    }

    @Override
    public String toString() {
        return "OllamaEmbedder[" + settings.baseUrl() + ", model=" + model() + "]";
    }

    /**
     * Builds an {@link OllamaEmbedder}; the timeout, retry and backoff setters are inherited from
     * {@link EmbedderClientBuilder} (the total timeout defaults to 120 s here, per batch).
     */
    public static final class Builder extends EmbedderClientBuilder<Builder> {
        private final OllamaSettings.Builder settings;
        private final EmbeddingBatches.Builder batches;
        private String model;

        private Builder() {
            this(new OllamaSettings.Builder(), new EmbeddingBatches.Builder());
        }

        private Builder(OllamaSettings.Builder settings, EmbeddingBatches.Builder batches) {
            super(settings, batches);
            this.settings = settings;
            this.batches = batches;
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

        /** How long Ollama keeps the model loaded after a call; default: the server's. */
        public Builder keepAlive(String keepAlive) {
            settings.keepAlive(keepAlive);
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
