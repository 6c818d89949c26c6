package dev.ragkit.llm.ollama.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.llm.http.ProviderSettings;
import dev.ragkit.llm.ollama.OllamaEmbedder;

/**
 * Provider {@code ollama}: maps keys {@code rag.embedder.ollama.*} onto {@link OllamaEmbedder.Builder}
 * (see the module README for the keys and their defaults).
 */
public final class OllamaEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        OllamaEmbedder.Builder b = OllamaEmbedder.builder();
        b.baseUrl(Settings.baseUrl(config));
        b.model(config.required("model"));
        ProviderSettings.applyCommonKeys(config, b);
        b.keepAlive(Settings.keepAlive(config));
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException("rag.embedder.ollama: " + e.getMessage(), e);
        }
    }
}
