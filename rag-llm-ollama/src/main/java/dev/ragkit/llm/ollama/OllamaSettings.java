package dev.ragkit.llm.ollama;

import dev.ragkit.llm.http.ClientSettings;
import java.util.regex.Pattern;

/**
 * Connection, timeout and retry settings shared by the chat client and the embedder: the common
 * ones of every HTTP adapter, plus Ollama's {@code keep_alive}. HTTP/1.1 only: Ollama speaks
 * nothing else.
 */
final class OllamaSettings extends ClientSettings {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";
    private static final Pattern KEEP_ALIVE = Pattern.compile("-?\\d+(\\.\\d+)?(ns|us|ms|s|m|h)?");

    private final String keepAlive;

    private OllamaSettings(Builder b) {
        super(b);
        if (b.keepAlive != null && !KEEP_ALIVE.matcher(b.keepAlive.strip()).matches()) {
            throw new IllegalArgumentException("keepAlive was '" + b.keepAlive
                    + "' but it must be a duration such as 5m, 30s or -1 (keep loaded)");
        }
        this.keepAlive = b.keepAlive == null ? null : b.keepAlive.strip();
    }

    String keepAlive() {
        return keepAlive;
    }

    static final class Builder extends ClientSettings.Builder {
        private String keepAlive;

        Builder() {
            super("baseUrl", DEFAULT_BASE_URL);
            baseUrl(DEFAULT_BASE_URL);
        }

        void keepAlive(String value) {
            keepAlive = value == null || value.isBlank() ? null : value;
        }

        OllamaSettings build() {
            return new OllamaSettings(this);
        }
    }
}
