package dev.ragkit.langchain4j.internal;

import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;

/**
 * Provider {@code langchain4j-ollama}: LangChain4j's {@code OllamaEmbeddingModel} from keys
 * {@code rag.embedder.langchain4j-ollama.*} (see the module README), as a Ragkit embedder.
 */
public final class OllamaEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return OllamaLlmClientProvider.NAME;
    }

    @Override
    public Embedder create(ProviderConfig config) {
        ModelSettings s = ModelSettings.read(config, OllamaLlmClientProvider.DEFAULT_BASE_URL);
        return LlmClients.embedder(config, OllamaLlmClientProvider.NAME, s,
                () -> OllamaEmbeddingModel.builder().baseUrl(s.baseUrl).modelName(s.model)
                        .timeout(s.timeout).maxRetries(s.maxRetries).build());
    }
}
