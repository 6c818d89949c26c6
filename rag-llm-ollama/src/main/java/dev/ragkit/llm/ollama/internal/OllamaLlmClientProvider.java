package dev.ragkit.llm.ollama.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.llm.http.ProviderSettings;
import dev.ragkit.llm.ollama.OllamaLlmClient;

/**
 * Provider {@code ollama}: maps keys {@code rag.llm.ollama.*} onto {@link OllamaLlmClient.Builder}
 * (see the module README for the keys and their defaults).
 */
public final class OllamaLlmClientProvider implements LlmClientProvider {
    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        OllamaLlmClient.Builder b = OllamaLlmClient.builder();
        b.baseUrl(Settings.baseUrl(config));
        b.model(config.required("model"));
        b.fallbackModel(config.string("fallback-model", null));
        ProviderSettings.applyCommonKeys(config, b);
        if (config.raw("temperature").isPresent()) {
            double t = config.decimal("temperature", 0.8);
            if (t < 0 || t > 2) {
                config.problem("temperature", t, "must be in [0, 2]");
            }
            b.temperature(t);
        }
        if (config.raw("num-ctx").isPresent()) {
            int n = config.integer("num-ctx", 2048);
            if (n < 1) {
                config.problem("num-ctx", n, "must be >= 1");
            }
            b.numCtx(n);
        }
        b.keepAlive(Settings.keepAlive(config));
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException("rag.llm.ollama: " + e.getMessage(), e);
        }
    }
}
