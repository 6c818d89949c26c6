package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.llm.hf.HfLlmClient;

/**
 * Provider {@code hf}: the Hugging Face router's chat completions, keys {@code rag.llm.hf.*}
 * ({@code token} and {@code model} required; see the module README).
 */
public final class HfLlmClientProvider implements LlmClientProvider {
    @Override
    public String name() {
        return "hf";
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        return ChatProviders.create(config, HfLlmClient.builder(), "https://router.huggingface.co/v1", true);
    }
}
