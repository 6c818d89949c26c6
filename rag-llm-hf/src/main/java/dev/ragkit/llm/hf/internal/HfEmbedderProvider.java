package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.llm.hf.HfEmbedder;

/**
 * Provider {@code hf}: the Hugging Face router's feature extraction, keys {@code rag.embedder.hf.*}
 * ({@code token} and {@code model} required; see the module README).
 */
public final class HfEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return "hf";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return EmbedderProviders.create(config, HfEmbedder.builder(),
                "https://router.huggingface.co/hf-inference/models", true, "feature-extraction");
    }
}
