package dev.ragkit.llm.http;

import java.time.Duration;

/**
 * {@link HttpClientBuilder} plus the setting only a streaming chat client has: the limit on the
 * wait for the first token. Embedders do not stream, so their builders do not offer it.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API, although its setters are part of the
 * adapters' builders.
 *
 * @param <B> the adapter's builder
 */
public abstract class ChatClientBuilder<B extends ChatClientBuilder<B>> extends HttpClientBuilder<B> {
    /** @param settings the adapter's settings builder, which the setters fill in */
    protected ChatClientBuilder(ClientSettings.Builder settings) {
        super(settings);
    }

    /**
     * Limit from sending a streaming request to its first token or event (model loading included);
     * default 60 s.
     */
    public B firstTokenTimeout(Duration timeout) {
        settings().firstTokenTimeout(timeout);
        return self();
    }
}
