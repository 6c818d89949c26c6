package dev.ragkit.core.spi;

import dev.ragkit.core.config.ProviderConfig;

/**
 * A named factory for one kind of component, found through {@link java.util.ServiceLoader}.
 * Implementations only map configuration onto the component's public builder, and their no-arg
 * constructor does nothing heavy.
 *
 * @param <T> the component type ({@link VectorStore}, {@link Embedder}, {@link LlmClient} or
 *     {@link Guard}), each {@link AutoCloseable}. Left unbounded on purpose: a bound would change the
 *     erased return type of {@link #create}, and providers compiled against an earlier Ragkit would
 *     fail with {@code AbstractMethodError}.
 */
public interface Provider<T> {
    /** The name hosts use in configuration, e.g. {@code memory}; lowercase {@code [a-z0-9-]}. */
    String name();

    /**
     * Builds the component from its configuration (keys {@code rag.<kind>.<name>.*}).
     *
     * @throws dev.ragkit.core.RagConfigurationException listing every invalid or missing key
     */
    T create(ProviderConfig config);
}
