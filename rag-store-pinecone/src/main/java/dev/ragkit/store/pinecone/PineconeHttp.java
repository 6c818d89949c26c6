package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * One Pinecone REST exchange with retries: the {@code Api-Key} and {@code X-Pinecone-Api-Version} headers,
 * a timeout per request, retries with exponential backoff on 429, 5xx, timeouts and broken connections
 * (honouring {@code Retry-After}), and errors that say what to check. The key is only ever put in a
 * header: no message, log line or {@code toString} contains it.
 */
final class PineconeHttp {
    /** The API version this adapter speaks; its OpenAPI descriptions are what the tests validate against. */
    static final String API_VERSION = "2026-04";
    static final String BACKEND = "pinecone";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    /** Sleeps between attempts; tests pass one that records instead of waiting. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What a call is about, for messages: {@code upsert into index 'docs' namespace 'a'}. */
    record Call(String what, String index) {
    }

    private final HttpClient client;
    private final ObjectMapper json;
    private final String apiKey;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Sleeper sleeper;

    PineconeHttp(ObjectMapper json, String apiKey, Duration timeout, int maxRetries, Duration initialBackoff,
                 Sleeper sleeper) {
        this.json = json;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    ObjectMapper json() {
        return json;
    }

    /** The parsed JSON answer of a 2xx response (an empty object for an empty body). */
    JsonNode send(Call call, String method, URI uri, JsonNode body) {
        return exchange(call, method, uri, body, false).orElseThrow();
    }

    /** Like {@link #send}, but empty on 404 instead of failing: for "does it exist" questions. */
    Optional<JsonNode> sendAllowingNotFound(Call call, String method, URI uri, JsonNode body) {
        return exchange(call, method, uri, body, true);
    }

    private Optional<JsonNode> exchange(Call call, String method, URI uri, JsonNode body, boolean notFoundIsEmpty) {
        byte[] payload = body == null ? null : write(body);
        RagBackendException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            Duration wait = null;
            try {
                HttpResponse<byte[]> response = client.send(request(method, uri, payload),
                        HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return Optional.of(parse(call, response.body()));
                }
                if (status == 404 && notFoundIsEmpty) {
                    return Optional.empty();
                }
                last = failure(call, status, response.body());
                if (!last.retriable()) {
                    throw last;
                }
                wait = retryAfter(response).orElse(null);
            } catch (HttpTimeoutException e) {
                last = RagBackendException.retriable(BACKEND, call.what() + " timed out after " + timeout
                        + " (rag.store.pinecone.timeout)", e);
            } catch (IOException e) {
                // A reset or refused connection: the request may not have been applied; every call here is
                // idempotent (upserts replace by id, deletes ignore missing ids), so it is safe to send again.
                last = RagBackendException.retriable(BACKEND, call.what() + " failed on the connection to "
                        + uri.getHost() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RagBackendException.permanent(BACKEND, call.what() + " was interrupted", e);
            }
            if (attempt < maxRetries) {
                pause(call, wait != null ? wait : backoff(attempt));
            }
        }
        throw RagBackendException.retriable(BACKEND, last.detail() + " (gave up after " + (maxRetries + 1)
                + " attempts; rag.store.pinecone.max-retries=" + maxRetries + ")", last);
    }

    private HttpRequest request(String method, URI uri, byte[] payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Api-Key", apiKey)
                .header("X-Pinecone-Api-Version", API_VERSION)
                .header("Accept", "application/json");
        if (payload != null) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private byte[] write(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a Pinecone request", e);
        }
    }

    private JsonNode parse(Call call, byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw RagBackendException.permanent(BACKEND, call.what() + ": Pinecone answered with a body that is not "
                    + "the JSON object the " + API_VERSION + " API describes (" + e.getMessage() + "): "
                    + excerpt(body), e);
        }
    }

    private RagBackendException failure(Call call, int status, byte[] body) {
        String detail = errorMessage(body);
        String index = "index '" + call.index() + "'";
        return switch (status) {
            case 401 -> RagBackendException.permanent(BACKEND, call.what() + ": Pinecone rejected the API key (401"
                    + detail + "): check that rag.store.pinecone.api-key (PINECONE_API_KEY) is a valid key of the "
                    + "project that holds " + index, null);
            case 403 -> RagBackendException.permanent(BACKEND, call.what() + ": Pinecone refused access (403" + detail
                    + "): the API key is valid but may not use " + index + "; check the key's project and role, "
                    + "and the project's plan", null);
            case 404 -> RagBackendException.permanent(BACKEND, call.what() + ": not found (404" + detail + "): check "
                    + "that " + index + " exists in the API key's project (rag.store.pinecone.index) and that "
                    + "rag.store.pinecone.host, when set, is that index's host", null);
            case 429 -> RagBackendException.retriable(BACKEND, call.what() + ": rate limited by Pinecone (429"
                    + detail + ")", null);
            default -> status >= 500
                    ? RagBackendException.retriable(BACKEND, call.what() + ": Pinecone server error " + status + detail,
                    null)
                    : RagBackendException.permanent(BACKEND, call.what() + ": Pinecone rejected the request with "
                    + status + detail, null);
        };
    }

    /** {@code ": message"} from either error shape of the 2026-04 API, or a short excerpt of the body. */
    private String errorMessage(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.path("error").path("message").isTextual()) {
                return ": " + node.path("error").path("code").asText("") + " " + node.path("error").path("message").asText();
            }
            if (node != null && node.path("message").isTextual()) {
                return ": " + node.path("message").asText();
            }
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page, say): the excerpt below is all there is to show.
        }
        return ": " + excerpt(body);
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 197) + "..." : text;
    }

    /** Retry-After in seconds (the form Pinecone sends); an HTTP date or garbage falls back to backoff. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                return seconds < 0 ? Optional.empty() : Optional.of(min(Duration.ofSeconds(seconds), MAX_BACKOFF));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Duration backoff(int attempt) {
        return min(initialBackoff.multipliedBy(1L << Math.min(attempt, 16)), MAX_BACKOFF);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Call call, Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RagBackendException.permanent(BACKEND, call.what() + " was interrupted while waiting to retry", e);
        }
    }

    @Override
    public String toString() {
        // Never the key.
        return "PineconeHttp[api " + API_VERSION + ", timeout " + timeout + ", retries " + maxRetries + "]";
    }
}
