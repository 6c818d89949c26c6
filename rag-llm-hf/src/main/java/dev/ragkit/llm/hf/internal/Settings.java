package dev.ragkit.llm.hf.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.llm.http.ProviderSettings;

/**
 * Reads the Hugging Face / OpenAI-compatible keys the chat and embedding providers share, recording
 * problems on the config; the keys every HTTP adapter has are read by {@link ProviderSettings}.
 */
final class Settings {
    private Settings() {
    }

    /**
     * {@code api-base} (or its alias {@code base-url}); {@code defaultValue} when neither is set,
     * a problem when there is no default.
     */
    static String apiBase(ProviderConfig config, String defaultValue) {
        boolean hasApiBase = config.raw("api-base").isPresent();
        boolean hasBaseUrl = config.raw("base-url").isPresent();
        if (hasApiBase && hasBaseUrl) {
            config.problem("base-url", config.string("base-url", ""), "must not be set together with "
                    + config.fullKey("api-base") + " (they are the same setting)");
        }
        String key = hasApiBase || !hasBaseUrl ? "api-base" : "base-url";
        String url = defaultValue == null ? config.required(key) : config.string(key, defaultValue);
        if (url == null) {
            return null;
        }
        if (!ProviderSettings.isHttpUrl(url)) {
            config.problem(key, url, "must be an http(s) URL such as https://router.huggingface.co/v1");
            return null;
        }
        return url;
    }

    /** The token; required when {@code required}. Its value never goes into a problem message. */
    static String token(ProviderConfig config, boolean required) {
        return required ? config.requiredSecret("token") : config.secret("token").orElse(null);
    }
}
