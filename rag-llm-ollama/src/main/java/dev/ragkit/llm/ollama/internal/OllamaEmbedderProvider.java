package dev.ragkit.llm.ollama.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.llm.http.ProviderSettings;
import dev.ragkit.llm.ollama.OllamaEmbedder;
import java.time.Duration;

/**
 * Provider {@code ollama}: maps keys {@code rag.embedder.ollama.*} onto {@link OllamaEmbedder.Builder}
 * (see the module README for the keys and their defaults).
 */
public final class OllamaEmbedderProvider implements EmbedderProvider {
    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        OllamaEmbedder.Builder b = OllamaEmbedder.builder();
        b.baseUrl(Settings.baseUrl(config));
        b.model(config.required("model"));
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
        b.keepAlive(Settings.keepAlive(config));
        config.validate();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException("rag.embedder.ollama: " + e.getMessage(), e);
        }
    }
}
