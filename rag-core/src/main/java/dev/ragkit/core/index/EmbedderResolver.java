package dev.ragkit.core.index;

import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.spi.Embedder;

/**
 * Gives the embedder that built a version, so that its queries are embedded in its own vector space:
 * two versions built with different models are searched with different embedders. The resolver owns
 * the embedders it returns; {@link IndexLifecycle} never closes them.
 */
@FunctionalInterface
public interface EmbedderResolver {
    /**
     * An embedder whose {@link Embedder#id() id} and dimension are those recorded in {@code builtWith}.
     *
     * @throws dev.ragkit.core.RagConfigurationException when no such embedder can be made here
     */
    Embedder embedderFor(IndexInfo builtWith);
}
