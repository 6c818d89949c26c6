package dev.ragkit.llm.ollama;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the real-server tests find Ollama: environment variables, or "not run". */
final class OllamaItSettings {
    static final String URL_VARIABLE = "RAGKIT_IT_OLLAMA_URL";

    private OllamaItSettings() {
    }

    /** Skips the calling test class, saying how to run it, unless {@value #URL_VARIABLE} is set. */
    static String requireUrl() {
        String url = System.getenv(URL_VARIABLE);
        assumeTrue(url != null && !url.isBlank(), "not run: set " + URL_VARIABLE + " (e.g. http://127.0.0.1:11434) "
                + "and pull the models named by RAGKIT_IT_OLLAMA_MODEL (default " + chatModel()
                + ") and RAGKIT_IT_OLLAMA_EMBED_MODEL (default " + embedModel() + ")");
        return url;
    }

    static String chatModel() {
        return env("RAGKIT_IT_OLLAMA_MODEL", "qwen2.5:0.5b");
    }

    static String embedModel() {
        return env("RAGKIT_IT_OLLAMA_EMBED_MODEL", "all-minilm");
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
