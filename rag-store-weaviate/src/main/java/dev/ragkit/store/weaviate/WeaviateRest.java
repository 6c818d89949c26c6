package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.RagBackendException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Weaviate endpoint: JSON over HTTP with the credentials, timeouts and retries of the store's
 * settings. Retries 429, 5xx and broken connections with exponential backoff (honouring
 * {@code Retry-After}); every call the store makes is idempotent (objects have deterministic ids), so
 * a retry after a connection reset never duplicates anything. The credential only ever goes into the
 * {@code Authorization} header: it is in no message and no log line.
 */
final class WeaviateRest {
    private static final Logger LOG = LoggerFactory.getLogger(WeaviateRest.class);
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and parsed body (a missing node for an empty body). */
    record Response(int status, JsonNode body) {
    }

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient client;

    WeaviateRest(URI base, String credential, Duration connectTimeout, Duration requestTimeout, int maxRetries,
                 Duration initialBackoff, Duration maxBackoff) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.authorization = credential == null || credential.isBlank() ? null : "Bearer " + credential;
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI base() {
        return base;
    }

    /**
     * Sends {@code method path} (path under {@code /v1}, query included) with an optional JSON body and
     * returns the final response: 2xx, or 404 when {@code notFoundIsAnswer}. Any other status fails with
     * a message built by {@code subject}, e.g. {@code collection 'Docs'}.
     */
    Response call(String method, String path, JsonNode body, String subject, boolean notFoundIsAnswer) {
        String payload = body == null ? null : body.toString();
        RagBackendException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1" + path))
                    .timeout(requestTimeout)
                    .header("Accept", "application/json")
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
            if (payload != null) {
                request.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                LOG.debug("Weaviate {} /v1{} -> {}", method, path, status);
                if (status / 100 == 2 || (status == 404 && notFoundIsAnswer)) {
                    return new Response(status, parse(method, path, response.body()));
                }
                last = failure(method, path, status, response.body(), subject);
                if (!last.retriable()) {
                    throw last;
                }
                wait = retryAfter(response).orElse(backoff(attempt));
            } catch (HttpTimeoutException e) {
                last = RagBackendException.retriable("weaviate", "Weaviate " + method + " /v1" + path + " for " + subject
                        + " timed out after " + requestTimeout + " (rag.store.weaviate.request-timeout)", e);
                wait = backoff(attempt);
            } catch (IOException e) {
                last = RagBackendException.retriable("weaviate", "Weaviate at " + base + " could not be reached for "
                        + method + " /v1" + path + " (" + subject + "): " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RagBackendException.permanent("weaviate", "interrupted while calling Weaviate for " + subject, e);
            }
            if (attempt < maxRetries) {
                LOG.debug("Weaviate {} /v1{}: retrying in {} ms ({})", method, path, wait.toMillis(), last.getMessage());
                sleep(wait, subject);
            }
        }
        throw RagBackendException.retriable("weaviate", last.getMessage() + " (gave up after " + (maxRetries + 1)
                + " attempts; rag.store.weaviate.max-retries)", last);
    }

    private JsonNode parse(String method, String path, String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RagBackendException.permanent("weaviate", "Weaviate answered " + method + " /v1" + path
                    + " with a body that is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(body)
                    + ". Check that rag.store.weaviate.url points at Weaviate, not a proxy page.", e);
        }
    }

    private RagBackendException failure(String method, String path, int status, String body, String subject) {
        String detail = errorDetail(body);
        String what = "Weaviate " + method + " /v1" + path + " for " + subject + " failed with HTTP " + status;
        return switch (status) {
            case 401 -> RagBackendException.permanent("weaviate", what + ": the credentials were refused. Check "
                    + "rag.store.weaviate.api-key (or bearer-token) for " + base + detail, null);
            case 403 -> RagBackendException.permanent("weaviate", what + ": the credentials lack permission on "
                    + subject + ". Grant the key's role read/write on it" + detail, null);
            case 404 -> RagBackendException.permanent("weaviate", what + ": " + subject + " does not exist on "
                    + base + detail, null);
            case 408, 429, 500, 502, 503, 504 -> RagBackendException.retriable("weaviate", what + detail, null);
            default -> RagBackendException.permanent("weaviate", what + detail, null);
        };
    }

    /** The server's error messages ({@code {"error":[{"message":...}]}}), or the body abbreviated. */
    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(body);
            StringBuilder out = new StringBuilder();
            for (JsonNode e : node.path("error")) {
                out.append(out.isEmpty() ? "" : "; ").append(e.path("message").asText());
            }
            if (!out.isEmpty()) {
                return " (" + out + ")";
            }
        } catch (JsonProcessingException ignored) {
            // Not JSON: show it as text below.
        }
        return " (" + abbreviate(body) + ")";
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 297) + "..." : oneLine;
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: fall back to our own backoff
            }
        });
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt, 16);
        long capped = Math.min(base, maxBackoff.toMillis());
        // Jitter spreads the retries of concurrent writers that failed together.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void sleep(Duration wait, String subject) {
        try {
            // A Retry-After longer than max-backoff is cut to it: the caller's time budget wins.
            Thread.sleep(Math.min(wait.toMillis(), maxBackoff.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RagBackendException.permanent("weaviate", "interrupted while waiting to retry Weaviate for " + subject, e);
        }
    }

    /**
     * Runs a GraphQL query and returns {@code data}; a response with {@code errors} fails, naming them.
     */
    JsonNode graphql(String query, String subject) {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        JsonNode answer = call("POST", "/graphql", body, subject, false).body();
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            StringBuilder messages = new StringBuilder();
            for (JsonNode e : errors) {
                messages.append(messages.isEmpty() ? "" : "; ").append(e.path("message").asText());
            }
            String text = messages.toString();
            if (text.contains("Cannot query field") || text.contains("could not find class")) {
                throw RagBackendException.permanent("weaviate", "Weaviate GraphQL for " + subject + " failed: " + text
                        + ". The collection does not exist (any more) on " + base, null);
            }
            throw RagBackendException.permanent("weaviate", "Weaviate GraphQL for " + subject + " failed: " + text, null);
        }
        JsonNode data = answer.path("data");
        if (!data.isObject()) {
            throw RagBackendException.permanent("weaviate", "Weaviate GraphQL for " + subject
                    + " answered without data: " + abbreviate(answer.toString()), null);
        }
        return data;
    }
}
