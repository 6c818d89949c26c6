package dev.ragkit.langchain4j.internal;

import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;

/**
 * Provider {@code langchain4j-openai}: LangChain4j's {@code OpenAiEmbeddingModel} (OpenAI or any
 * OpenAI-compatible endpoint) from keys {@code rag.embedder.langchain4j-openai.*} (see the module README).
 */
public final class OpenAiEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return OpenAiLlmClientProvider.NAME;
    }

    @Override
    public Embedder create(ProviderConfig config) {
        ModelSettings s = ModelSettings.read(config, OpenAiLlmClientProvider.DEFAULT_BASE_URL);
        String apiKey = config.required("api-key");
        return LlmClients.embedder(config, OpenAiLlmClientProvider.NAME, s,
                () -> OpenAiEmbeddingModel.builder().baseUrl(s.baseUrl).apiKey(apiKey).modelName(s.model)
                        .timeout(s.timeout).maxRetries(s.maxRetries).build());
    }
}
