package dev.ragkit.langchain4j;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.langchain4j.internal.OllamaEmbedderProvider;
import dev.ragkit.langchain4j.internal.OllamaLlmClientProvider;
import dev.ragkit.langchain4j.internal.OpenAiEmbedderProvider;
import dev.ragkit.langchain4j.internal.OpenAiLlmClientProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** The four providers against the test kit's provider contract (names, keys, all problems reported at once). */
class LangChain4jProviderContractTest {
    private static final Map<String, String> BAD_COMMON = Map.of("base-url", "ollama.local", "timeout", "0ms",
            "max-retries", "-1", "stream-idle-timeout", "-5s", "temperature", "3");

    @Nested
    class OllamaLlm extends ProviderContractTest {
        @Override protected Provider<?> provider() { return new OllamaLlmClientProvider(); }
        @Override protected Map<String, String> validConfig() {
            return Map.of("model", "llama3.1:8b", "base-url", "http://127.0.0.1:9", "timeout", "20s",
                    "max-retries", "1", "temperature", "0.3", "stream-timeout", "2m", "stream-idle-timeout", "30s");
        }
        @Override protected Optional<String> requiredKey() { return Optional.of("model"); }
        @Override protected Map<String, String> invalidValues() { return BAD_COMMON; }
    }

    @Nested
    class OpenAiLlm extends ProviderContractTest {
        @Override protected Provider<?> provider() { return new OpenAiLlmClientProvider(); }
        @Override protected Map<String, String> validConfig() {
            return Map.of("model", "gpt-4o-mini", "api-key", "sk-test", "base-url", "https://router.example/v1",
                    "temperature", "0");
        }
        @Override protected Optional<String> requiredKey() { return Optional.of("api-key"); }
        @Override protected Map<String, String> invalidValues() { return BAD_COMMON; }
    }

    @Nested
    class OllamaEmbeddings extends ProviderContractTest {
        @Override protected Provider<?> provider() { return new OllamaEmbedderProvider(); }
        @Override protected Map<String, String> validConfig() {
            // With the dimension given, creation asks the server nothing.
            return Map.of("model", "nomic-embed-text", "dimension", "768", "batch-size", "16", "base-url", "http://127.0.0.1:9");
        }
        @Override protected Optional<String> requiredKey() { return Optional.of("model"); }
        @Override protected Map<String, String> invalidValues() {
            return Map.of("dimension", "-3", "batch-size", "0", "base-url", "ftp://x", "timeout", "never");
        }
    }

    @Nested
    class OpenAiEmbeddings extends ProviderContractTest {
        @Override protected Provider<?> provider() { return new OpenAiEmbedderProvider(); }
        @Override protected Map<String, String> validConfig() {
            return Map.of("model", "text-embedding-3-small", "api-key", "sk-test", "dimension", "1536");
        }
        @Override protected Optional<String> requiredKey() { return Optional.of("model"); }
        @Override protected Map<String, String> invalidValues() {
            return Map.of("dimension", "-3", "batch-size", "0", "max-retries", "x");
        }
    }
}
