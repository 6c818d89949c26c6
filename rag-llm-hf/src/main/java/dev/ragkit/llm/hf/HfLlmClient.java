package dev.ragkit.llm.hf;

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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat through an OpenAI-compatible {@code POST <api-base>/chat/completions}: the Hugging Face
 * router by default, or any server speaking that API (vLLM, TGI, llama.cpp, LiteLLM, OpenAI) by
 * base URL. Blocking or streaming (server-sent events ending with {@code data: [DONE]}), with
 * timeouts, retries with backoff and a fallback model. The token is sent as a bearer token and
 * never logged nor shown by {@link #toString()}. Thread-safe.
 *
 * <pre>{@code
 * LlmClient llm = HfLlmClient.builder().token(hfToken)
 *         .model("meta-llama/Llama-3.1-8B-Instruct").fallbackModel("Qwen/Qwen2.5-7B-Instruct").build();
 * }</pre>
 */
public final class HfLlmClient extends HttpLlmClient {
    private static final Logger LOG = LoggerFactory.getLogger(HfLlmClient.class);
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final HfSettings settings;
    private final String providerName;
    private final Double temperature;
    private final boolean streamUsage;
    private final HttpClient http;
    private final URI chatUri;

    private HfLlmClient(Builder b) {
        this(b, b.settings.build());
    }

    private HfLlmClient(Builder b, HfSettings settings) {
        super(requireProviderName(b.providerName), requireModel(b.model, "model"), b.fallbackModel,
                settings.retryPolicy(), LOG);
        this.settings = settings;
        this.providerName = b.providerName;
        this.temperature = checkTemperature(b.temperature);
        this.streamUsage = b.streamUsage;
        this.http = settings.httpClient();
        this.chatUri = settings.resolve("chat/completions");
    }

    private static String requireProviderName(String providerName) {
        if (providerName == null || !PROVIDER_NAME.matcher(providerName).matches()) {
            throw new IllegalArgumentException("providerName was '" + providerName
                    + "' but it must be lowercase [a-z0-9] words joined by '-'");
        }
        return providerName;
    }

    static String requireModel(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " was " + (value == null ? "not set" : "'" + value + "'")
                    + " but it must name a model, e.g. meta-llama/Llama-3.1-8B-Instruct");
        }
        return value.strip();
    }

    /** A builder for the Hugging Face router: {@link Builder#token} and {@link Builder#model} are required. */
    public static Builder builder() {
        return new Builder("hf", HfSettings.ROUTER_CHAT, true);
    }

    /**
     * A builder for any OpenAI-compatible server: {@link Builder#apiBase} (e.g.
     * {@code http://127.0.0.1:8000/v1}) and {@link Builder#model} are required, the token is optional.
     */
    public static Builder openAiCompatible() {
        return new Builder("openai-compatible", null, false);
    }

    @Override
    protected Generation generateOnce(String m, LlmRequest request) throws CallFailure {
        try (Exchange exchange = settings.send(http, post(body(m, request, false), false), m)) {
            // The answer's status line only comes once the whole answer is ready: only the total limit applies.
            exchange.awaitOk(settings.totalTimeout(), "waiting for the answer");
            JsonNode json = exchange.readJson(settings.totalTimeout());
            failIfError(json, m, exchange, 0);
            JsonNode choices = json.path("choices");
            if (!choices.isArray() || choices.isEmpty()) {
                throw Failures.malformed(m, exchange.status(), "no \"choices\" in the answer", null);
            }
            JsonNode content = choices.get(0).path("message").path("content");
            if (!content.isTextual()) {
                throw Failures.malformed(m, exchange.status(), "choices[0].message.content is "
                        + (content.isMissingNode() ? "missing" : content.toString()) + ", not text", null);
            }
            return new Generation(content.asText(), usage(json.path("usage")), json.path("model").asText(m));
        }
    }

    @Override
    protected Generation streamOnce(String m, LlmRequest request, Consumer<String> onToken) throws CallFailure {
        try (Exchange exchange = settings.send(http, post(body(m, request, true), true), m)) {
            Duration first = settings.firstTokenTimeout().compareTo(settings.totalTimeout()) <= 0
                    ? settings.firstTokenTimeout() : settings.totalTimeout();
            exchange.awaitOk(first, "waiting for the first token");
            StringBuilder text = new StringBuilder();
            StringBuilder data = new StringBuilder();
            TokenUsage usage = TokenUsage.NONE;
            String answeredBy = m;
            boolean anyEvent = false;
            boolean finished = false;
            while (true) {
                String line = anyEvent ? exchange.nextLine(settings.totalTimeout(), "streaming the answer")
                        : exchange.nextLine(first, "waiting for the first token");
                if (line == null) {
                    throw new CallFailure(CallFailure.Kind.TRANSIENT, exchange.status(), null, "HTTP "
                            + exchange.status() + " stream for model '" + m + "' ended without \"data: [DONE]\" after "
                            + text.length() + " characters (cut mid-way)", null);
                }
                if (!line.isEmpty()) {
                    // SSE fields: data lines accumulate; comments (":"), event, id and retry are not content.
                    if (line.startsWith("data:")) {
                        if (data.length() > 0) {
                            data.append('\n');
                        }
                        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                    }
                    continue;
                }
                if (data.length() == 0) {
                    continue;
                }
                String event = data.toString();
                data.setLength(0);
                anyEvent = true;
                if (event.strip().equals("[DONE]")) {
                    if (!finished) {
                        // [DONE] without any finish_reason: the server gave up on this answer.
                        throw new CallFailure(CallFailure.Kind.TRANSIENT, exchange.status(), null, "HTTP "
                                + exchange.status() + " stream for model '" + m
                                + "' sent [DONE] before any choice finished (cut mid-way)", null);
                    }
                    return new Generation(text.toString(), usage, answeredBy);
                }
                JsonNode chunk = exchange.parse(event, "stream event");
                failIfError(chunk, m, exchange, text.length());
                answeredBy = chunk.path("model").asText(answeredBy);
                if (chunk.path("usage").isObject()) {
                    usage = usage(chunk.path("usage"));
                }
                JsonNode choices = chunk.path("choices");
                if (choices.isArray() && !choices.isEmpty()) {
                    JsonNode choice = choices.get(0);
                    JsonNode content = choice.path("delta").path("content");
                    if (!content.isMissingNode() && !content.isNull() && !content.isTextual()) {
                        throw Failures.malformed(m, exchange.status(), "delta.content is not text in " + event, null);
                    }
                    String piece = content.isTextual() ? content.asText() : "";
                    if (!piece.isEmpty()) {
                        text.append(piece);
                        onToken.accept(piece);
                    }
                    JsonNode reason = choice.path("finish_reason");
                    if (reason.isTextual() && !reason.asText().isEmpty()) {
                        finished = true;
                    }
                }
            }
        }
    }

    /** Some servers send {@code {"error": ...}} with status 200, or as an event mid-stream. */
    private static void failIfError(JsonNode json, String m, Exchange exchange, int charsSoFar) throws CallFailure {
        JsonNode error = json.path("error");
        if (error.isMissingNode() || error.isNull()) {
            return;
        }
        String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
        throw CallFailure.transientFailure("model '" + m + "' reported an error" + (charsSoFar > 0
                ? " mid-stream after " + charsSoFar + " characters" : "") + ": " + exchange.redact(message), null);
    }

    private static TokenUsage usage(JsonNode usage) {
        return new TokenUsage(Math.max(0, usage.path("prompt_tokens").asLong(0)),
                Math.max(0, usage.path("completion_tokens").asLong(0)));
    }

    private HttpRequest post(String body, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(chatUri)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return settings.authorize(b).build();
    }

    private String body(String m, LlmRequest request, boolean stream) {
        ObjectNode root = Exchange.JSON.createObjectNode();
        root.put("model", m);
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT))
                    .put("content", message.content());
        }
        if (request.maxTokens().isPresent()) {
            root.put("max_tokens", request.maxTokens().getAsInt());
        }
        if (request.temperature().isPresent()) {
            root.put("temperature", request.temperature().getAsDouble());
        } else if (temperature != null) {
            root.put("temperature", temperature);
        }
        root.put("stream", stream);
        if (stream && streamUsage) {
            root.putObject("stream_options").put("include_usage", true);
        }
        return root.toString();
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "HfLlmClient[" + providerName + ", " + settings.baseUrl() + ", models=" + models()
                + (settings.secret() == null ? "" : ", token=***") + "]";
    }

    /**
     * Builds an {@link HfLlmClient}; the timeout, retry and backoff setters are inherited from
     * {@link ChatClientBuilder}.
     */
    public static final class Builder extends ChatClientBuilder<Builder> {
        private final HfSettings.Builder settings;
        private String providerName;
        private String model;
        private String fallbackModel;
        private Double temperature;
        private boolean streamUsage = true;

        private Builder(String providerName, String apiBase, boolean tokenRequired) {
            this(new HfSettings.Builder(), providerName, apiBase, tokenRequired);
        }

        private Builder(HfSettings.Builder settings, String providerName, String apiBase, boolean tokenRequired) {
            super(settings);
            this.settings = settings;
            this.providerName = providerName;
            settings.baseUrl(apiBase);
            settings.tokenRequired(tokenRequired);
        }

        /** API base ending in the version, e.g. {@code https://router.huggingface.co/v1}. */
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

        /** The model, e.g. {@code meta-llama/Llama-3.1-8B-Instruct} (router: optionally {@code :provider}); required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The model to ask when the primary one is unknown or keeps failing; optional. */
        public Builder fallbackModel(String fallbackModel) {
            this.fallbackModel = fallbackModel;
            return this;
        }

        /** Prefix of {@link #id()}; {@code hf} or {@code openai-compatible} by default. */
        public Builder providerName(String providerName) {
            this.providerName = providerName;
            return this;
        }

        /** Sampling temperature when the request sets none; default: the server's. */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Whether streaming requests ask for token usage ({@code stream_options.include_usage});
         * default true. Turn off for servers that reject the option; usage is then reported as 0.
         */
        public Builder streamUsage(boolean streamUsage) {
            this.streamUsage = streamUsage;
            return this;
        }

        /**
         * Builds the client; contacts no server.
         *
         * @throws IllegalArgumentException naming the first bad setting
         */
        public HfLlmClient build() {
            return new HfLlmClient(this);
        }
    }
}
