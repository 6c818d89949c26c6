package dev.ragkit.core.secret;

import dev.ragkit.core.config.ProviderConfig;

/**
 * Creates the {@link SecretResolver} of one scheme from its settings, keys
 * {@code rag.secret.<name>.<key>}; found through {@link java.util.ServiceLoader}. {@link #name()} is the
 * scheme. A provider is created only when at least one of its keys is set.
 */
public interface SecretResolverProvider {
    /** The scheme, lowercase {@code [a-z0-9-]}, e.g. {@code vault}. */
    String name();

    /**
     * Builds the resolver; reads its settings through {@code config} (kind {@code secret}).
     *
     * @throws dev.ragkit.core.RagConfigurationException listing every invalid or missing key
     */
    SecretResolver create(ProviderConfig config);
}
