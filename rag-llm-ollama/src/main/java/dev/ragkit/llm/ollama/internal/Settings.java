package dev.ragkit.llm.ollama.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.llm.http.ProviderSettings;
import java.util.regex.Pattern;

/**
 * Reads the Ollama-only keys the chat and embedding providers share, recording problems on the
 * config; the keys every HTTP adapter has are read by {@link ProviderSettings}.
 */
final class Settings {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";
    private static final Pattern KEEP_ALIVE = Pattern.compile("-?\\d+(\\.\\d+)?(ns|us|ms|s|m|h)?");

    private Settings() {
    }

    static String baseUrl(ProviderConfig config) {
        String url = config.string("base-url", DEFAULT_BASE_URL);
        if (!ProviderSettings.isHttpUrl(url)) {
            config.problem("base-url", url, "must be an http(s) URL such as " + DEFAULT_BASE_URL);
            return DEFAULT_BASE_URL;
        }
        return url;
    }

    static String keepAlive(ProviderConfig config) {
        String value = config.string("keep-alive", null);
        if (value != null && !KEEP_ALIVE.matcher(value).matches()) {
            config.problem("keep-alive", value, "must be a duration such as 5m, 30s, 0 (unload) or -1 (keep loaded)");
            return null;
        }
        return value;
    }
}
