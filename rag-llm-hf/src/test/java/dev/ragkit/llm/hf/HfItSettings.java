package dev.ragkit.llm.hf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the real-endpoint tests find the Hugging Face router: environment variables, or "not run". */
final class HfItSettings {
    static final String TOKEN_VARIABLE = "RAGKIT_IT_HF_TOKEN";

    private HfItSettings() {
    }

    /** Skips the calling test, saying how to run it, unless {@value #TOKEN_VARIABLE} is set. */
    static String requireToken() {
        String token = System.getenv(TOKEN_VARIABLE);
        assumeTrue(token != null && !token.isBlank(), "not run: set " + TOKEN_VARIABLE
                + " to a Hugging Face token with Inference Providers access (optionally RAGKIT_IT_HF_MODEL, default "
                + chatModel() + ", and RAGKIT_IT_HF_EMBED_MODEL, default " + embedModel() + ")");
        return token;
    }

    static String chatModel() {
        return env("RAGKIT_IT_HF_MODEL", "meta-llama/Llama-3.1-8B-Instruct");
    }

    static String embedModel() {
        return env("RAGKIT_IT_HF_EMBED_MODEL", "sentence-transformers/all-MiniLM-L6-v2");
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
