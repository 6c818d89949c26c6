package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.llm.hf.HfLlmClient;

/**
 * Provider {@code openai-compatible}: any server with an OpenAI chat completions API, keys
 * {@code rag.llm.openai-compatible.*} ({@code api-base} and {@code model} required, {@code token}
 * optional; see the module README).
 */
public final class OpenAiCompatibleLlmClientProvider implements LlmClientProvider {
    @Override
    public String name() {
        return "openai-compatible";
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        return ChatProviders.create(config, HfLlmClient.openAiCompatible(), null, false);
    }
}
