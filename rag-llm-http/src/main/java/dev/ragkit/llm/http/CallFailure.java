package dev.ragkit.llm.http;

import java.time.Duration;

/**
 * One failed attempt, classified so the retry loop knows what to do next. Internal: callers only
 * ever see the {@link dev.ragkit.core.RagBackendException} built from it.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class CallFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, which decides retry and fallback. */
    public enum Kind {
        /** 401/403: the credentials are wrong; neither a retry nor another model can help. */
        AUTHENTICATION,
        /** 404: this model is unknown to the server; another model may work. */
        MODEL_NOT_FOUND,
        /** 429, 5xx, timeouts, connection errors, streams cut mid-way: worth retrying. */
        TRANSIENT,
        /** Other 4xx, malformed answers: the same request will fail the same way. */
        PERMANENT
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;

    /**
     * @param status the HTTP status, 0 when there was none
     * @param retryAfter the server's requested wait, or null
     * @param message names the status and the model; becomes the exception message callers see
     */
    public CallFailure(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** A failure worth retrying, with no HTTP status (timeout, connection error, cut stream). */
    public static CallFailure transientFailure(String message, Throwable cause) {
        return new CallFailure(Kind.TRANSIENT, 0, null, message, cause);
    }

    /** A failure that the same call would repeat, with no HTTP status. */
    public static CallFailure permanent(String message, Throwable cause) {
        return new CallFailure(Kind.PERMANENT, 0, null, message, cause);
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when the call failed before or after the status line. */
    public int status() {
        return status;
    }

    /** The server's {@code Retry-After}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether trying the same call again can help. */
    public boolean retriable() {
        return kind == Kind.TRANSIENT;
    }
}
