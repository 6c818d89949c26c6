package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.llm.hf.HfEmbedder;
import dev.ragkit.llm.http.ProviderSettings;
import java.util.List;

/** Maps {@code rag.embedder.<name>.*} onto {@link HfEmbedder.Builder}; shared by both embedding providers. */
final class EmbedderProviders {
    private EmbedderProviders() {
    }

    static HfEmbedder create(ProviderConfig config, HfEmbedder.Builder b, String defaultApiBase, boolean tokenRequired,
                             String defaultApi) {
        String apiBase = Settings.apiBase(config, defaultApiBase);
        if (apiBase != null) {
            b.apiBase(apiBase);
        }
        b.token(Settings.token(config, tokenRequired));
        b.model(config.required("model"));
        String api = config.oneOf("api", defaultApi, List.of("feature-extraction", "openai"));
        b.api("openai".equals(api) ? HfEmbedder.Api.OPENAI : HfEmbedder.Api.FEATURE_EXTRACTION);
        ProviderSettings.applyCommonKeys(config, b);
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(config.fullKey("").replaceAll("\\.$", "") + ": " + e.getMessage(), e);
        }
    }
}
