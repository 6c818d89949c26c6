package dev.ragkit.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.llm.http.CallFailure;
import dev.ragkit.llm.http.ChatClientBuilder;
import dev.ragkit.llm.http.Exchange;
import dev.ragkit.llm.http.Failures;
import dev.ragkit.llm.http.HttpLlmClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat with a model served by Ollama ({@code POST /api/chat}), blocking or streaming, with
 * timeouts, retries with backoff and a fallback model. Thread-safe.
 *
 * <pre>{@code
 * LlmClient llm = OllamaLlmClient.builder()
 *         .baseUrl("http://127.0.0.1:11434").model("llama3.1:8b").fallbackModel("llama3.2:3b")
 *         .build();
 * }</pre>
 */
public final class OllamaLlmClient extends HttpLlmClient {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaLlmClient.class);
    static final String BACKEND = "ollama";

    private final OllamaSettings settings;
    private final Double temperature;
    private final Integer numCtx;
    private final HttpClient http;
    private final URI chatUri;

    private OllamaLlmClient(Builder b) {
        this(b, b.settings.build());
    }

    private OllamaLlmClient(Builder b, OllamaSettings settings) {
        super(BACKEND, requireModel(b.model, "model"), b.fallbackModel, settings.retryPolicy(), LOG);
        this.settings = settings;
        this.temperature = checkTemperature(b.temperature);
        if (b.numCtx != null && b.numCtx < 1) {
            throw new IllegalArgumentException("numCtx was " + b.numCtx + " but it must be >= 1");
        }
        this.numCtx = b.numCtx;
        this.http = settings.httpClient();
        this.chatUri = settings.resolve("api/chat");
    }

    static String requireModel(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " was " + (value == null ? "not set" : "'" + value + "'")
                    + " but it must name an Ollama model, e.g. llama3.1:8b");
        }
        return value.strip();
    }

    /** A builder; {@link Builder#model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected Generation generateOnce(String m, LlmRequest request) throws CallFailure {
        try (Exchange exchange = Exchange.send(http, post(body(m, request, false)), m)) {
            // Ollama sends nothing before the whole answer is ready, so only the total limit applies.
            exchange.awaitOk(settings.totalTimeout(), "waiting for the answer");
            JsonNode json = exchange.readJson(settings.totalTimeout());
            String error = json.path("error").asText("");
            if (!error.isEmpty()) {
                throw CallFailure.transientFailure("model '" + m + "' reported an error: " + error, null);
            }
            if (!json.path("done").asBoolean(false)) {
                throw Failures.malformed(m, exchange.status(), "the answer lacks \"done\": true", null);
            }
            JsonNode content = json.path("message").path("content");
            if (!content.isTextual()) {
                throw Failures.malformed(m, exchange.status(), "no message.content in the answer", null);
            }
            return new Generation(content.asText(), usage(json), json.path("model").asText(m));
        }
    }

    @Override
    protected Generation streamOnce(String m, LlmRequest request, Consumer<String> onToken) throws CallFailure {
        try (Exchange exchange = Exchange.send(http, post(body(m, request, true)), m)) {
            Duration first = min(settings.firstTokenTimeout(), settings.totalTimeout());
            exchange.awaitOk(first, "waiting for the first token");
            StringBuilder text = new StringBuilder();
            boolean any = false;
            while (true) {
                String line = any ? exchange.nextLine(settings.totalTimeout(), "streaming the answer")
                        : exchange.nextLine(first, "waiting for the first token");
                if (line == null) {
                    throw new CallFailure(CallFailure.Kind.TRANSIENT, exchange.status(), null, "HTTP "
                            + exchange.status() + " stream for model '" + m + "' ended before \"done\": true after "
                            + text.length() + " characters (cut mid-way)", null);
                }
                if (line.isBlank()) {
                    continue;
                }
                any = true;
                JsonNode chunk = exchange.parse(line, "stream line");
                String error = chunk.path("error").asText("");
                if (!error.isEmpty()) {
                    throw CallFailure.transientFailure("model '" + m + "' reported an error mid-stream after "
                            + text.length() + " characters: " + error, null);
                }
                JsonNode content = chunk.path("message").path("content");
                if (!content.isMissingNode() && !content.isTextual()) {
                    throw Failures.malformed(m, exchange.status(), "message.content is not text in " + line, null);
                }
                String piece = content.asText("");
                if (!piece.isEmpty()) {
                    text.append(piece);
                    onToken.accept(piece);
                }
                if (chunk.path("done").asBoolean(false)) {
                    return new Generation(text.toString(), usage(chunk), chunk.path("model").asText(m));
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static TokenUsage usage(JsonNode json) {
        // Ollama leaves prompt_eval_count out when the prompt was cached; 0 is then the honest count.
        return new TokenUsage(Math.max(0, json.path("prompt_eval_count").asLong(0)),
                Math.max(0, json.path("eval_count").asLong(0)));
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(chatUri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String body(String m, LlmRequest request, boolean stream) {
        ObjectNode root = Exchange.JSON.createObjectNode();
        root.put("model", m);
        root.put("stream", stream);
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT))
                    .put("content", message.content());
        }
        ObjectNode options = Exchange.JSON.createObjectNode();
        if (request.temperature().isPresent()) {
            options.put("temperature", request.temperature().getAsDouble());
        } else if (temperature != null) {
            options.put("temperature", temperature);
        }
        if (request.maxTokens().isPresent()) {
            options.put("num_predict", request.maxTokens().getAsInt());
        }
        if (numCtx != null) {
            options.put("num_ctx", numCtx);
        }
        if (!options.isEmpty()) {
            root.set("options", options);
        }
        if (settings.keepAlive() != null) {
            root.put("keep_alive", settings.keepAlive());
        }
        return root.toString();
    }

    @Override
    public String toString() {
        return "OllamaLlmClient[" + settings.baseUrl() + ", models=" + models() + "]";
    }

    /**
     * Builds an {@link OllamaLlmClient}; the timeout, retry and backoff setters are inherited from
     * {@link ChatClientBuilder}.
     */
    public static final class Builder extends ChatClientBuilder<Builder> {
        private final OllamaSettings.Builder settings;
        private String model;
        private String fallbackModel;
        private Double temperature;
        private Integer numCtx;

        private Builder() {
            this(new OllamaSettings.Builder());
        }

        private Builder(OllamaSettings.Builder settings) {
            super(settings);
            this.settings = settings;
        }

        /** Server address; default {@code http://127.0.0.1:11434}. */
        public Builder baseUrl(String baseUrl) {
            settings.baseUrl(baseUrl);
            return this;
        }

        /** The model to ask, e.g. {@code llama3.1:8b}; required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The model to ask when the primary model is unknown or keeps failing; optional. */
        public Builder fallbackModel(String fallbackModel) {
            this.fallbackModel = fallbackModel;
            return this;
        }

        /** Sampling temperature when the request sets none; default: the model's own. */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** How long Ollama keeps the model loaded after a call, e.g. {@code 5m} or {@code -1}; default: the server's. */
        public Builder keepAlive(String keepAlive) {
            settings.keepAlive(keepAlive);
            return this;
        }

        /** Context window in tokens ({@code num_ctx}); default: the model's. */
        public Builder numCtx(Integer numCtx) {
            this.numCtx = numCtx;
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws IllegalArgumentException naming the first bad setting
         */
        public OllamaLlmClient build() {
            return new OllamaLlmClient(this);
        }
    }
}
