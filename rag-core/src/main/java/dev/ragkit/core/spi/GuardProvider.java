package dev.ragkit.core.spi;

import dev.ragkit.core.config.ProviderConfig;

/** Creates {@link Guard}s; registered in {@code META-INF/services/dev.ragkit.core.spi.GuardProvider}. */
public interface GuardProvider extends Provider<Guard> {
    /**
     * Builds the guard for a pipeline whose embedder is {@code embedder}, for guards that read sentence
     * vectors (e.g. a classifier head trained on that encoder). A question the guard embeds with it at
     * the INPUT stage is not embedded again by the retrieval on the same thread: the assembly hands
     * guards and the retriever views of one per-thread memo. The default ignores the embedder.
     *
     * @throws dev.ragkit.core.RagConfigurationException listing every invalid or missing key
     */
    default Guard create(ProviderConfig config, Embedder embedder) {
        return create(config);
    }
}
