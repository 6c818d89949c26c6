package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.llm.hf.HfLlmClient;
import dev.ragkit.llm.http.ProviderSettings;

/** Maps {@code rag.llm.<name>.*} onto {@link HfLlmClient.Builder}; shared by both chat providers. */
final class ChatProviders {
    private ChatProviders() {
    }

    static HfLlmClient create(ProviderConfig config, HfLlmClient.Builder b, String defaultApiBase, boolean tokenRequired) {
        String apiBase = Settings.apiBase(config, defaultApiBase);
        if (apiBase != null) {
            b.apiBase(apiBase);
        }
        b.token(Settings.token(config, tokenRequired));
        b.model(config.required("model"));
        b.fallbackModel(config.string("fallback-model", null));
        ProviderSettings.applyCommonKeys(config, b);
        if (config.raw("temperature").isPresent()) {
            double t = config.decimal("temperature", 0.7);
            if (t < 0 || t > 2) {
                config.problem("temperature", t, "must be in [0, 2]");
            }
            b.temperature(t);
        }
        b.streamUsage(config.bool("stream-usage", true));
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(config.fullKey("").replaceAll("\\.$", "") + ": " + e.getMessage(), e);
        }
    }
}
