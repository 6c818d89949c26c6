package dev.ragkit.server.internal;

/** Counts requests per key in fixed windows. Implementations are thread-safe. */
public interface RateLimiter extends AutoCloseable {
    /**
     * Counts one request of {@code key} against {@code limit} requests per window.
     *
     * @throws dev.ragkit.core.RagBackendException when the shared counter cannot be reached
     */
    Decision acquire(String key, int limit);

    @Override
    default void close() {
    }

    /**
     * The outcome of one request.
     *
     * @param allowed whether the request may go on
     * @param limit requests per window
     * @param remaining requests left in this window after this one
     * @param resetSeconds seconds until the window ends (at least 1)
     */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    }
}
