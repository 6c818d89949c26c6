package dev.ragkit.llm.hf;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.llm.http.StubServer;
import dev.ragkit.testkit.EmbedderConformanceTest;
import dev.ragkit.testkit.LlmClientConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The test kit's contracts, run against the stub router and a stub OpenAI-compatible server. */
class HfConformanceTest {
    private static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    private static final StubServer SERVER = StubServer.start()
            .otherwise("/v1/chat/completions", HfFake.chat(HfFake.TOKEN))
            .otherwise("/hf-inference/models/" + MODEL + "/pipeline/feature-extraction",
                    HfFake.featureExtraction(HfFake.TOKEN))
            .otherwise("/openai/v1/chat/completions", HfFake.chat(null))
            .otherwise("/openai/v1/embeddings", HfFake.openAiEmbeddings());

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Nested
    class RouterChat extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return HfLlmClient.builder().apiBase(SERVER.url() + "/v1").token(HfFake.TOKEN)
                    .model("meta-llama/Llama-3.1-8B-Instruct").build();
        }
    }

    @Nested
    class OpenAiCompatibleChat extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return HfLlmClient.openAiCompatible().apiBase(SERVER.url() + "/openai/v1").model("local").build();
        }
    }

    @Nested
    class RouterEmbeddings extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            return HfEmbedder.builder().apiBase(SERVER.url() + "/hf-inference/models").token(HfFake.TOKEN)
                    .model(MODEL).batchSize(4).build();
        }

        @Override
        protected boolean checksSemantics() {
            return false; // the stub's vectors are hashed trigrams, not meaning
        }
    }

    @Nested
    class OpenAiCompatibleEmbeddings extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            return HfEmbedder.openAiCompatible().apiBase(SERVER.url() + "/openai/v1").model("embed").build();
        }

        @Override
        protected boolean checksSemantics() {
            return false;
        }
    }
}
