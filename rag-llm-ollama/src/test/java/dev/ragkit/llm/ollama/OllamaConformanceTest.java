package dev.ragkit.llm.ollama;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.llm.http.StubServer;
import dev.ragkit.testkit.EmbedderConformanceTest;
import dev.ragkit.testkit.LlmClientConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The test kit's contracts, run against the stub Ollama. */
class OllamaConformanceTest {
    private static final StubServer SERVER = StubServer.start()
            .otherwise("/api/chat", OllamaFake.chat())
            .otherwise("/api/embed", OllamaFake.embed());

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Nested
    class Chat extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return OllamaLlmClient.builder().baseUrl(SERVER.url()).model("llama3.1:8b").build();
        }
    }

    @Nested
    class Embeddings extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            return OllamaEmbedder.builder().baseUrl(SERVER.url()).model("nomic-embed-text").batchSize(3).build();
        }

        @Override
        protected boolean checksSemantics() {
            return false; // the stub's vectors are hashed trigrams, not meaning
        }
    }
}
