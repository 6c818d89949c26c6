package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.llm.hf.HfEmbedder;
import dev.ragkit.llm.http.ProviderSettings;
import java.time.Duration;
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
        if (config.raw("dimension").isPresent()) {
            int d = config.integer("dimension", 0);
            if (d < 1) {
                config.problem("dimension", d, "must be >= 1");
            }
            b.dimension(d);
        }
        int batch = config.integer("batch-size", 32);
        if (batch < 1) {
            config.problem("batch-size", batch, "must be >= 1");
        }
        b.batchSize(batch);
        b.documentPrefix(config.string("document-prefix", null));
        b.queryPrefix(config.string("query-prefix", null));
        b.connectTimeout(ProviderSettings.positive(config, "connect-timeout", Duration.ofSeconds(5)));
        b.totalTimeout(ProviderSettings.positive(config, "total-timeout", Duration.ofSeconds(120)));
        ProviderSettings.retries(config, b::retries, b::backoff, b::maxRetryAfter);
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(config.fullKey("").replaceAll("\\.$", "") + ": " + e.getMessage(), e);
        }
    }
}
