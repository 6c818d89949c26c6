package dev.ragkit.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.llm.ollama.internal.OllamaEmbedderProvider;
import dev.ragkit.llm.ollama.internal.OllamaLlmClientProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Both providers against the test kit's provider contract, plus config-to-builder mapping. */
class OllamaProviderContractTest {
    @Nested
    class Llm extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new OllamaLlmClientProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("model", "llama3.1:8b", "fallback-model", "llama3.2:3b", "base-url", "http://127.0.0.1:9",
                    "first-token-timeout", "20s", "retries", "1", "temperature", "0.3", "num-ctx", "4096",
                    "keep-alive", "5m");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("model");
        }

        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("base-url", "ollama.local", "retries", "-3", "temperature", "hot", "num-ctx", "0",
                    "keep-alive", "forever", "total-timeout", "0ms");
        }
    }

    @Nested
    class Embeddings extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new OllamaEmbedderProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("model", "nomic-embed-text", "dimension", "768", "batch-size", "16",
                    "query-prefix", "search_query: ");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("model");
        }

        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("dimension", "-1", "batch-size", "0", "base-url", "not a url");
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ProviderConfig config = ProviderConfig.of("llm", "ollama",
                Map.of("retries", "many", "temperature", "9", "max-backoff", "1ms", "backoff", "1s"));

        RagConfigurationException e = catchThrowableOfType(RagConfigurationException.class,
                () -> new OllamaLlmClientProvider().create(config));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "rag.llm.ollama.model was not set but it is required",
                "rag.llm.ollama.retries was 'many' but it must be a whole number",
                "rag.llm.ollama.temperature was '9.0' but it must be in [0, 2]",
                "rag.llm.ollama.max-backoff was '1ms' but it must not be shorter than backoff (1000 ms)");
    }

    @Test
    void configReachesTheClient() {
        OllamaLlmClient llm = (OllamaLlmClient) new OllamaLlmClientProvider().create(ProviderConfig.of("llm", "ollama",
                Map.of("model", "qwen2.5:7b", "fallback-model", "qwen2.5:0.5b")));
        assertThat(llm.id()).isEqualTo("ollama:qwen2.5:7b");
        assertThat(llm.models()).containsExactly("qwen2.5:7b", "qwen2.5:0.5b");
    }
}
