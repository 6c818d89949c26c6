package dev.ragkit.tools.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import java.util.Map;

/**
 * An embedder named on the command line as {@code <provider>:<model>} (e.g.
 * {@code onnx:bge-small-en-v1.5-q}), created through the provider registry with the provider's
 * {@code model} key, so any embedder provider on the class path can be evaluated.
 *
 * @param provider the provider name
 * @param model the value of {@code rag.embedder.<provider>.model}, or null for the provider's default
 */
record EmbedderSpec(String provider, String model) {
    static EmbedderSpec parse(String text) {
        int colon = text.indexOf(':');
        String provider = colon < 0 ? text : text.substring(0, colon);
        String model = colon < 0 ? null : text.substring(colon + 1);
        if (provider.isBlank() || (model != null && model.isBlank())) {
            throw new InvalidInputException("--embedder was '" + text + "' but it must look like <provider>:<model>,"
                    + " e.g. onnx:all-minilm-l6-v2-q");
        }
        return new EmbedderSpec(provider, model);
    }

    Embedder create(ProviderRegistry registry) {
        Map<String, String> keys = model == null ? Map.of() : Map.of("model", model);
        return registry.embedder(provider).create(ProviderConfig.of("embedder", provider, keys));
    }

    String label() {
        return model == null ? provider : provider + ":" + model;
    }
}
