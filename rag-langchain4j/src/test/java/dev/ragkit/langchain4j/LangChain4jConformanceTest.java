package dev.ragkit.langchain4j;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.langchain4j.internal.OllamaEmbedderProvider;
import dev.ragkit.langchain4j.internal.OllamaLlmClientProvider;
import dev.ragkit.langchain4j.internal.OpenAiEmbedderProvider;
import dev.ragkit.langchain4j.internal.OpenAiLlmClientProvider;
import dev.ragkit.llm.http.StubServer;
import dev.ragkit.testkit.EmbedderConformanceTest;
import dev.ragkit.testkit.LlmClientConformanceTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The test kit's LLM and embedder contracts on LangChain4j's Ollama and OpenAI models, built by this module's
 * providers from {@code rag.llm.<name>.*} / {@code rag.embedder.<name>.*} keys, against stub servers speaking
 * the two wire formats.
 */
class LangChain4jConformanceTest {
    private static final StubServer OLLAMA = StubServer.start()
            .otherwise("/api/chat", WireFakes.ollamaChat())
            .otherwise("/api/embed", WireFakes.ollamaEmbed());
    private static final StubServer OPENAI = StubServer.start()
            .otherwise("/v1/chat/completions", WireFakes.openAiChat())
            .otherwise("/v1/embeddings", WireFakes.openAiEmbeddings());

    @AfterAll
    static void stop() {
        OLLAMA.close();
        OPENAI.close();
    }

    static LlmClient ollamaClient() {
        return new OllamaLlmClientProvider().create(ProviderConfig.of("llm", "langchain4j-ollama",
                Map.of("base-url", OLLAMA.url(), "model", "llama3.1:8b", "timeout", "10s")));
    }

    static LlmClient openAiClient() {
        return new OpenAiLlmClientProvider().create(ProviderConfig.of("llm", "langchain4j-openai",
                Map.of("base-url", OPENAI.url() + "/v1", "api-key", "sk-test", "model", "gpt-4o-mini", "timeout", "10s")));
    }

    @Nested
    class OllamaChat extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return ollamaClient();
        }
    }

    @Nested
    class OllamaEmbeddings extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            return new OllamaEmbedderProvider().create(ProviderConfig.of("embedder", "langchain4j-ollama",
                    Map.of("base-url", OLLAMA.url(), "model", "nomic-embed-text", "batch-size", "3")));
        }

        @Override
        protected boolean checksSemantics() {
            return false; // the stub's vectors are hashed trigrams, not meaning
        }
    }

    @Nested
    class OpenAiChat extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return openAiClient();
        }
    }

    @Nested
    class OpenAiEmbeddings extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            return new OpenAiEmbedderProvider().create(ProviderConfig.of("embedder", "langchain4j-openai",
                    Map.of("base-url", OPENAI.url() + "/v1", "api-key", "sk-test", "model", "text-embedding-3-small",
                            "dimension", String.valueOf(WireFakes.DIMENSION), "batch-size", "3")));
        }

        @Override
        protected boolean checksSemantics() {
            return false; // the stub's vectors are hashed trigrams, not meaning
        }
    }
}
