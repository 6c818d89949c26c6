package dev.ragkit.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns what went wrong in one HTTP call into a {@link CallFailure} whose message names the HTTP
 * status and the model, as the status tables of the adapters' READMEs say.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class Failures {
    /**
     * For servers that answer 404 for an unknown model and nothing else (Ollama): no 400/422 body
     * means "unknown model".
     */
    public static final Predicate<String> ONLY_404 = body -> false;

    /** Longest piece of a server's error text quoted in a message. */
    static final int MAX_QUOTE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Failures() {
    }

    /**
     * Classifies a non-2xx answer.
     *
     * @param body the error body (may be empty or not JSON)
     * @param unknownModelBody whether a 400 or 422 body says the model is unknown, for servers that do
     *     not answer 404 for that (OpenAI-style routers); {@link #ONLY_404} when the server always does
     */
    public static CallFailure forStatus(int status, String model, String body, HttpHeaders headers,
                                        Predicate<String> unknownModelBody) {
        String said = serverMessage(body).map(m -> ": server said \"" + m + "\"").orElse("");
        if (status == 401 || status == 403) {
            return new CallFailure(CallFailure.Kind.AUTHENTICATION, status, null,
                    "HTTP " + status + " authentication failed for model '" + model + "'" + said, null);
        }
        if (status == 404) {
            return new CallFailure(CallFailure.Kind.MODEL_NOT_FOUND, status, null,
                    "HTTP 404 model '" + model + "' not found" + said, null);
        }
        if ((status == 400 || status == 422) && unknownModelBody.test(body == null ? "" : body)) {
            return new CallFailure(CallFailure.Kind.MODEL_NOT_FOUND, status, null,
                    "HTTP " + status + " model '" + model + "' not found or not served" + said, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            String what = status == 429 ? "rate limited" : status == 408 ? "request timeout" : "server error";
            return new CallFailure(CallFailure.Kind.TRANSIENT, status, retryAfter(status, headers, body),
                    "HTTP " + status + " " + what + " for model '" + model + "'" + said, null);
        }
        return new CallFailure(CallFailure.Kind.PERMANENT, status, null,
                "HTTP " + status + " request rejected for model '" + model + "'" + said, null);
    }

    /** A wait that ran out: the server is slow or stuck, which a retry may cure. */
    public static CallFailure timeout(String model, String what, Duration limit) {
        return CallFailure.transientFailure("timed out for model '" + model + "' after " + limit.toMillis()
                + " ms " + what + " (no HTTP status)", null);
    }

    /** The connection failed or broke; {@code when} says at which point of the exchange. */
    public static CallFailure io(String model, String when, IOException e) {
        String what = e instanceof HttpConnectTimeoutException ? "connect timeout"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return CallFailure.transientFailure("connection failed for model '" + model + "' " + when
                + " (no HTTP status): " + what, e);
    }

    /**
     * A 2xx answer that cannot be read. A JSON document that stops early was truncated in transit
     * (worth a retry), as does an error on its last character; any other parse error means the server
     * speaks another format (permanent).
     */
    public static CallFailure unreadable(String model, int status, String what, JsonProcessingException e,
                                         boolean atEndOfInput) {
        if (e instanceof JsonEOFException || atEndOfInput) {
            return new CallFailure(CallFailure.Kind.TRANSIENT, status, null,
                    "HTTP " + status + " truncated response for model '" + model + "': " + what, e);
        }
        return malformed(model, status, what + ": " + e.getOriginalMessage(), e);
    }

    /** A 2xx answer that parsed but lacks what the wire format promises. */
    public static CallFailure malformed(String model, int status, String what, Throwable cause) {
        return new CallFailure(CallFailure.Kind.PERMANENT, status, null,
                "HTTP " + status + " malformed response for model '" + model + "': " + what, cause);
    }

    /**
     * The error text of a body: {@code {"error":"..."}} (Ollama, Hugging Face, TGI),
     * {@code {"error":{"message":"..."}}} (OpenAI style), {@code {"message":"..."}}, or the raw
     * text; one line, at most {@value #MAX_QUOTE} characters.
     */
    static Optional<String> serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        String text = body.strip();
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode error = node.path("error");
            if (error.isTextual()) {
                text = error.asText();
            } else if (error.path("message").isTextual()) {
                text = error.path("message").asText();
            } else if (node.path("message").isTextual()) {
                text = node.path("message").asText();
            } else if (node.path("detail").isTextual()) {
                text = node.path("detail").asText();
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // Not JSON (a proxy's HTML page, plain text): quote it as it is.
        }
        text = text.replaceAll("\\s+", " ").strip();
        if (text.length() > MAX_QUOTE) {
            text = text.substring(0, MAX_QUOTE) + "...";
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /**
     * The server's requested wait: {@code Retry-After} in seconds or as an HTTP date; failing that,
     * the {@code estimated_time} (seconds) that the Hugging Face Inference API sends with a 503 while
     * a model loads. Null when the server said nothing.
     */
    static Duration retryAfter(int status, HttpHeaders headers, String body) {
        Optional<String> header = headers == null ? Optional.empty() : headers.firstValue("Retry-After");
        if (header.isPresent()) {
            Duration parsed = parseRetryAfter(header.get().strip());
            if (parsed != null) {
                return parsed;
            }
        }
        if (status == 503 && body != null && !body.isBlank()) {
            try {
                JsonNode estimated = JSON.readTree(body).path("estimated_time");
                if (estimated.isNumber() && estimated.asDouble() >= 0) {
                    return Duration.ofMillis((long) Math.ceil(estimated.asDouble() * 1000));
                }
            } catch (JsonProcessingException | RuntimeException e) {
                // No hint in the body.
            }
        }
        return null;
    }

    static Duration parseRetryAfter(String value) {
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // Not delta-seconds: try an HTTP date.
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
