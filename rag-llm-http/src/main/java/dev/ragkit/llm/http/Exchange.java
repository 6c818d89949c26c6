package dev.ragkit.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One JSON request whose answer is read with deadlines, turning every way it can go wrong into a
 * {@link CallFailure}: the status checks, the timeouts and the connection errors are the same for
 * chat and embeddings, so they live here once.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class Exchange implements AutoCloseable {
    /** Longest error body read; enough for any server message. */
    private static final int MAX_ERROR_BODY = 4_000;
    /** Longest success body read (a large embedding batch is a few megabytes). */
    private static final int MAX_BODY = 64 * 1024 * 1024;
    /** The shared mapper; thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpLines lines;
    private final String model;
    private final String secret;
    private final Predicate<String> unknownModelBody;
    private final long start = System.nanoTime();
    private int status;

    private Exchange(HttpLines lines, String model, String secret, Predicate<String> unknownModelBody) {
        this.lines = lines;
        this.model = model;
        this.secret = secret;
        this.unknownModelBody = unknownModelBody;
    }

    /**
     * Sends {@code request} to a server with no secret to hide that answers 404 for an unknown
     * model; nothing blocks until {@link #awaitOk(Duration, String)}.
     */
    public static Exchange send(HttpClient client, HttpRequest request, String model) {
        return send(client, request, model, null, Failures.ONLY_404);
    }

    /**
     * Sends {@code request}; nothing blocks until {@link #awaitOk(Duration, String)}.
     *
     * @param secret the API token, blanked out of any server text quoted in an error; may be null
     * @param unknownModelBody whether a 400 or 422 error body says the model is unknown (see
     *     {@link Failures#forStatus})
     */
    public static Exchange send(HttpClient client, HttpRequest request, String model, String secret,
                                Predicate<String> unknownModelBody) {
        Objects.requireNonNull(unknownModelBody, "unknownModelBody");
        return new Exchange(HttpLines.send(client, request), model, secret, unknownModelBody);
    }

    /** {@code text} with the secret replaced, so that a server echoing it never puts it in a log. */
    public String redact(String text) {
        return secret == null || secret.isEmpty() || text == null ? text : text.replace(secret, "***");
    }

    /** A {@link System#nanoTime()} deadline {@code limit} after the request was sent. */
    public long deadline(Duration limit) {
        long nanos = limit.toNanos();
        return start + (nanos < 0 ? Long.MAX_VALUE / 4 : Math.min(nanos, Long.MAX_VALUE / 4));
    }

    /**
     * Waits for the status line and fails unless it is 2xx.
     *
     * @param limit how long after sending to wait
     * @param what words for the timeout message, e.g. "waiting for the first token"
     */
    public void awaitOk(Duration limit, String what) throws CallFailure {
        HttpResponse.ResponseInfo info;
        try {
            info = lines.awaitHead(deadline(limit));
        } catch (TimeoutException e) {
            throw Failures.timeout(model, what, limit);
        } catch (IOException e) {
            throw Failures.io(model, "before the response", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CallFailure.permanent("interrupted while " + what + " for model '" + model + "'", e);
        }
        status = info.statusCode();
        if (status / 100 != 2) {
            String body;
            try {
                body = lines.readAll(Math.min(deadline(limit), System.nanoTime() + TimeUnit.SECONDS.toNanos(5)),
                        MAX_ERROR_BODY);
            } catch (TimeoutException | IOException e) {
                body = "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body = "";
            }
            throw Failures.forStatus(status, model, redact(body), info.headers(), unknownModelBody);
        }
    }

    /** The HTTP status, once {@link #awaitOk} returned. */
    public int status() {
        return status;
    }

    /**
     * The next line of the body, or null at its regular end.
     *
     * @param limit how long after sending the line must have arrived
     * @param what words for the timeout message
     */
    public String nextLine(Duration limit, String what) throws CallFailure {
        try {
            return lines.next(deadline(limit));
        } catch (TimeoutException e) {
            throw Failures.timeout(model, what, limit);
        } catch (IOException e) {
            throw Failures.io(model, "while reading the response (cut mid-way)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CallFailure.permanent("interrupted while reading the answer of model '" + model + "'", e);
        }
    }

    /** The whole body parsed as one JSON document; a body cut short is a transient failure. */
    public JsonNode readJson(Duration limit) throws CallFailure {
        String body;
        try {
            body = lines.readAll(deadline(limit), MAX_BODY);
        } catch (TimeoutException e) {
            throw Failures.timeout(model, "reading the response", limit);
        } catch (IOException e) {
            throw Failures.io(model, "while reading the response (cut mid-way)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CallFailure.permanent("interrupted while reading the answer of model '" + model + "'", e);
        }
        return parse(body, "response body");
    }

    /** Parses one JSON document of this exchange's body. */
    public JsonNode parse(String json, String what) throws CallFailure {
        if (json.isBlank()) {
            throw new CallFailure(CallFailure.Kind.TRANSIENT, status, null,
                    "HTTP " + status + " truncated response for model '" + model + "': empty " + what, null);
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw Failures.unreadable(model, status, what, e, endsAtEndOfInput(e, json));
        }
    }

    /** A parse error at the very end of the text means the document stopped early (e.g. {@code {"done":tr}). */
    private static boolean endsAtEndOfInput(JsonProcessingException e, String json) {
        if (e.getLocation() == null) {
            return false;
        }
        long offset = e.getLocation().getCharOffset();
        return offset >= json.stripTrailing().length() - 1;
    }

    @Override
    public void close() {
        lines.close();
    }
}
