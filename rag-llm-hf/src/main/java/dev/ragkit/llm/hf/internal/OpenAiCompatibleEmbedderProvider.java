package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.llm.hf.HfEmbedder;

/**
 * Provider {@code openai-compatible}: any server with an OpenAI {@code /embeddings} API, keys
 * {@code rag.embedder.openai-compatible.*} ({@code api-base} and {@code model} required; see the
 * module README).
 */
public final class OpenAiCompatibleEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return "openai-compatible";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return EmbedderProviders.create(config, HfEmbedder.openAiCompatible(), null, false, "openai");
    }
}
