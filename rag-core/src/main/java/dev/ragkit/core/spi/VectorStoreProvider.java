package dev.ragkit.core.spi;

import dev.ragkit.core.config.ProviderConfig;
import java.util.Optional;

/**
 * Creates {@link VectorStore}s; registered in
 * {@code META-INF/services/dev.ragkit.core.spi.VectorStoreProvider}. The assembler passes the
 * embedder's dimension as key {@code dimension} unless the host set it.
 */
public interface VectorStoreProvider extends Provider<VectorStore> {
    /**
     * The versioned index that this configuration names, for stores that keep versions natively (see
     * {@link VersionedIndex}); empty, the default, for stores that cannot. Creates nothing until a
     * version is created.
     *
     * @throws dev.ragkit.core.RagConfigurationException listing every invalid or missing key
     */
    default Optional<VersionedIndex> versioned(ProviderConfig config) {
        return Optional.empty();
    }
}
