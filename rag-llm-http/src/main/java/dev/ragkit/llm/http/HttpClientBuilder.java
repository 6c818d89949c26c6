package dev.ragkit.llm.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The setters every HTTP adapter's public builder shares: connect and total timeouts, retries,
 * backoff, the longest {@code Retry-After} honoured, and the jitter seed and sleeper tests use.
 * Each adapter's builder extends it ({@code final class Builder extends HttpClientBuilder<Builder>})
 * and adds its own settings; every setter here returns that builder, so calls chain in any order.
 * Setters only store; checks happen when the adapter is built.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API, although its setters are part of the
 * adapters' builders.
 *
 * @param <B> the adapter's builder
 */
public abstract class HttpClientBuilder<B extends HttpClientBuilder<B>> {
    private final ClientSettings.Builder settings;

    /**
     * @param settings the adapter's settings builder, which the setters here fill in; the adapter
     *     keeps its own reference to it for its own fields
     */
    protected HttpClientBuilder(ClientSettings.Builder settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The settings builder given to the constructor. */
    protected ClientSettings.Builder settings() {
        return settings;
    }

    /** This builder, typed as the adapter's. */
    @SuppressWarnings("unchecked")
    protected final B self() {
        // Safe: B is the subclass itself, as the class declaration requires.
        return (B) this;
    }

    /** Limit on opening the connection; default 5 s. */
    public B connectTimeout(Duration timeout) {
        settings.connectTimeout(timeout);
        return self();
    }

    /**
     * Limit on one whole attempt (for an embedder, one batch); default 300 s for a chat client,
     * 120 s for an embedder.
     */
    public B totalTimeout(Duration timeout) {
        settings.totalTimeout(timeout);
        return self();
    }

    /** Extra attempts per model after a transient failure; default 2. */
    public B retries(int retries) {
        settings.retries(retries);
        return self();
    }

    /** Exponential backoff bounds (jitter added); default 500 ms to 8 s. */
    public B backoff(Duration initial, Duration max) {
        settings.backoff(initial, max);
        return self();
    }

    /**
     * Longest {@code Retry-After} (or a 503's {@code estimated_time}) honoured; a longer one gives up
     * on the model and skips to the fallback model, if any; default 30 s.
     */
    public B maxRetryAfter(Duration max) {
        settings.maxRetryAfter(max);
        return self();
    }

    /** Seed of the backoff jitter, for reproducible tests. */
    public B jitterSeed(long seed) {
        settings.jitterSeed(seed);
        return self();
    }

    /** How to wait between attempts; tests pass one that records instead of sleeping. */
    public B sleeper(Sleeper sleeper) {
        settings.sleeper(sleeper);
        return self();
    }
}
