package dev.ragkit.llm.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.llm.http.StubServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rag.embedder=hf}, {@code rag.llm=hf,openai-compatible} resolved by {@link Ragkit#fromConfig}
 * against stubs: the chain of LLM providers is core's, the fallback model inside each is ours.
 */
class HfPipelineTest {
    private static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    private final StubServer server = StubServer.start().otherwise(
            "/hf-inference/models/" + MODEL + "/pipeline/feature-extraction", HfFake.featureExtraction(HfFake.TOKEN));

    @AfterEach
    void stop() {
        server.close();
    }

    private Ragkit ragkit() {
        Map<String, String> config = new HashMap<>();
        config.put("rag.embedder", "hf");
        config.put("rag.embedder.hf.api-base", server.url() + "/hf-inference/models");
        config.put("rag.embedder.hf.token", HfFake.TOKEN);
        config.put("rag.embedder.hf.model", MODEL);
        config.put("rag.llm", "hf,openai-compatible");
        config.put("rag.llm.hf.api-base", server.url() + "/v1");
        config.put("rag.llm.hf.token", HfFake.TOKEN);
        config.put("rag.llm.hf.model", "meta-llama/Llama-3.1-8B-Instruct");
        config.put("rag.llm.hf.retries", "0");
        config.put("rag.llm.openai-compatible.api-base", server.url() + "/local/v1");
        config.put("rag.llm.openai-compatible.model", "local-model");
        config.put("rag.llm.openai-compatible.retries", "0");
        Ragkit rag = Ragkit.fromConfig(config);
        rag.ingestor().ingest(List.of(
                new Document("eiffel", "The Eiffel Tower is in Paris. It was built in 1889.", Map.of()),
                new Document("cells", "Photosynthesis converts light into chemical energy.", Map.of())), p -> { });
        return rag;
    }

    @Test
    void routerAnswersWithUsage() {
        server.otherwise("/v1/chat/completions", HfFake.chat(HfFake.TOKEN));
        try (Ragkit rag = ragkit()) {
            Answer answer = rag.pipeline().ask("Where is the Eiffel Tower?");

            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.answeredBy()).isEqualTo("hf:meta-llama/Llama-3.1-8B-Instruct");
            assertThat(answer.usage().promptTokens()).isPositive();
            assertThat(answer.usage().completionTokens()).isPositive();
        }
    }

    @Test
    void unauthorizedRouterFallsBackToTheNextProviderThenExtractive() {
        server.otherwise("/v1/chat/completions", HfFake.unauthorized());
        server.otherwise("/local/v1/chat/completions", HfFake.chat(null));
        try (Ragkit rag = ragkit()) {
            Answer answer = rag.pipeline().ask("Where is the Eiffel Tower?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.answeredBy()).isEqualTo("openai-compatible:local-model");
            assertThat(answer.fallbacks()).singleElement().satisfies(f -> {
                assertThat(f.from()).isEqualTo("hf:meta-llama/Llama-3.1-8B-Instruct");
                assertThat(f.reason()).contains("HTTP 401").doesNotContain(HfFake.TOKEN);
            });
        }
        server.otherwise("/local/v1/chat/completions", StubServer.json(500, "{\"error\":\"down\"}"));
        try (Ragkit rag = ragkit()) {
            Answer answer = rag.pipeline().ask("Where is the Eiffel Tower?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(answer.fallbacks()).extracting(Answer.Fallback::from)
                    .containsExactly("hf:meta-llama/Llama-3.1-8B-Instruct", "openai-compatible:local-model");
        }
    }
}
