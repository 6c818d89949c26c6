package dev.ragkit.langchain4j.internal;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;

/**
 * Provider {@code langchain4j-openai}: LangChain4j's {@code OpenAiChatModel} and {@code OpenAiStreamingChatModel}
 * (OpenAI or any OpenAI-compatible endpoint) from keys {@code rag.llm.langchain4j-openai.*} (see the module
 * README), as a Ragkit LLM client.
 */
public final class OpenAiLlmClientProvider implements LlmClientProvider {
    static final String NAME = "langchain4j-openai";
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        ModelSettings s = ModelSettings.read(config, DEFAULT_BASE_URL);
        String apiKey = config.required("api-key");
        Double temperature = ModelSettings.temperature(config);
        return LlmClients.client(config, NAME, s,
                () -> OpenAiChatModel.builder().baseUrl(s.baseUrl).apiKey(apiKey).modelName(s.model)
                        .temperature(temperature).timeout(s.timeout).maxRetries(s.maxRetries).build(),
                () -> OpenAiStreamingChatModel.builder().baseUrl(s.baseUrl).apiKey(apiKey).modelName(s.model)
                        .temperature(temperature).timeout(s.timeout).build());
    }
}
