package dev.ragkit.langchain4j.internal;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;

/**
 * Provider {@code langchain4j-ollama}: LangChain4j's {@code OllamaChatModel} and {@code OllamaStreamingChatModel}
 * from keys {@code rag.llm.langchain4j-ollama.*} (see the module README), as a Ragkit LLM client.
 */
public final class OllamaLlmClientProvider implements LlmClientProvider {
    static final String NAME = "langchain4j-ollama";
    static final String DEFAULT_BASE_URL = "http://localhost:11434";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        ModelSettings s = ModelSettings.read(config, DEFAULT_BASE_URL);
        Double temperature = ModelSettings.temperature(config);
        return LlmClients.client(config, NAME, s,
                () -> OllamaChatModel.builder().baseUrl(s.baseUrl).modelName(s.model).temperature(temperature)
                        .timeout(s.timeout).maxRetries(s.maxRetries).build(),
                () -> OllamaStreamingChatModel.builder().baseUrl(s.baseUrl).modelName(s.model).temperature(temperature)
                        .timeout(s.timeout).build());
    }
}
