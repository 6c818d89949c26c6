package dev.ragkit.llm.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.llm.hf.internal.HfEmbedderProvider;
import dev.ragkit.llm.hf.internal.HfLlmClientProvider;
import dev.ragkit.llm.hf.internal.OpenAiCompatibleEmbedderProvider;
import dev.ragkit.llm.hf.internal.OpenAiCompatibleLlmClientProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The four providers against the test kit's provider contract, plus config mapping and secrecy. */
class HfProviderContractTest {
    @Nested
    class HfLlm extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new HfLlmClientProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("token", "hf_x", "model", "meta-llama/Llama-3.1-8B-Instruct",
                    "fallback-model", "Qwen/Qwen2.5-7B-Instruct", "retries", "1", "first-token-timeout", "30s");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("token");
        }

        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("api-base", "router", "retries", "x", "temperature", "5", "stream-usage", "maybe");
        }
    }

    @Nested
    class OpenAiLlm extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new OpenAiCompatibleLlmClientProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("api-base", "http://127.0.0.1:8000/v1", "model", "local");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("api-base");
        }

        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("api-base", "ftp://host", "connect-timeout", "soon");
        }
    }

    @Nested
    class HfEmbeddings extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new HfEmbedderProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("token", "hf_x", "model", "sentence-transformers/all-MiniLM-L6-v2", "dimension", "384");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("model");
        }

        @Override
        protected Map<String, String> invalidValues() {
            return Map.of("api", "grpc", "dimension", "0", "batch-size", "-2");
        }
    }

    @Nested
    class OpenAiEmbeddings extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new OpenAiCompatibleEmbedderProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("base-url", "http://127.0.0.1:8000/v1", "model", "embed");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("model");
        }
    }

    @Test
    void missingTokenIsReportedWithoutQuotingSecrets() {
        RagConfigurationException e = catchThrowableOfType(RagConfigurationException.class,
                () -> new HfLlmClientProvider().create(ProviderConfig.of("llm", "hf", Map.of("model", "m", "retries", "-1"))));

        assertThat(e.problems()).containsExactlyInAnyOrder("rag.llm.hf.token was not set but it is required",
                "rag.llm.hf.retries was '-1' but it must be between 0 and 10");
    }

    @Test
    void configReachesTheClient() {
        HfLlmClient llm = (HfLlmClient) new HfLlmClientProvider().create(ProviderConfig.of("llm", "hf",
                Map.of("token", "hf_secret_value", "model", "a/b", "fallback-model", "c/d")));
        assertThat(llm.id()).isEqualTo("hf:a/b");
        assertThat(llm.models()).containsExactly("a/b", "c/d");
        assertThat(llm.toString()).doesNotContain("hf_secret_value");
    }
}
