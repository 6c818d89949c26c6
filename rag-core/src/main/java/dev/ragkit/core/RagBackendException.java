package dev.ragkit.core;

/**
 * A backend (store, model server, embedding service) failed. {@link #retriable()} tells a caller
 * whether trying again can help: timeouts, 429 and 5xx can; authentication and bad requests cannot.
 */
public final class RagBackendException extends RagException {
    private static final long serialVersionUID = 1L;
    private final boolean retriable;
    private final String backend;
    private final String detail;

    /** The message reads {@code <backend>: <message>}; {@link #detail()} is {@code message} alone. */
    public RagBackendException(String backend, boolean retriable, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
        this.retriable = retriable;
        this.detail = message;
    }

    public static RagBackendException retriable(String backend, String message, Throwable cause) {
        return new RagBackendException(backend, true, message, cause);
    }

    public static RagBackendException permanent(String backend, String message, Throwable cause) {
        return new RagBackendException(backend, false, message, cause);
    }

    /** True when the same call may succeed later (timeout, rate limit, server error). */
    public boolean retriable() {
        return retriable;
    }

    /** What went wrong, without the backend name, for places that name the backend already. */
    public String detail() {
        return detail;
    }

    /** The provider or server that failed, e.g. {@code ollama} or {@code memory}. */
    public String backend() {
        return backend;
    }
}
