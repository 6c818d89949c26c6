package dev.ragkit.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.llm.http.StubServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path a host uses: {@code rag.embedder=ollama}, {@code rag.llm=ollama} resolved by
 * {@link Ragkit#fromConfig}, against the stub; then the same with chat failing, which must end in
 * an extractive answer that records the fallback.
 */
class OllamaPipelineTest {
    private final StubServer server = StubServer.start().otherwise("/api/embed", OllamaFake.embed());

    @AfterEach
    void stop() {
        server.close();
    }

    private Ragkit ragkit() {
        Map<String, String> config = new HashMap<>();
        config.put("rag.embedder", "ollama");
        config.put("rag.embedder.ollama.base-url", server.url());
        config.put("rag.embedder.ollama.model", "nomic-embed-text");
        config.put("rag.llm", "ollama");
        config.put("rag.llm.ollama.base-url", server.url());
        config.put("rag.llm.ollama.model", "llama3.1:8b");
        config.put("rag.llm.ollama.fallback-model", "llama3.2:3b");
        config.put("rag.llm.ollama.retries", "1");
        config.put("rag.llm.ollama.backoff", "1ms");
        config.put("rag.llm.ollama.max-backoff", "2ms");
        Ragkit rag = Ragkit.fromConfig(config);
        rag.ingestor().ingest(List.of(
                new Document("eiffel", "The Eiffel Tower is in Paris. It was built in 1889.", Map.of()),
                new Document("cells", "Photosynthesis converts light into chemical energy.", Map.of())), p -> { });
        return rag;
    }

    @Test
    void generatedAnswerCarriesModelAndTokenUsage() {
        server.otherwise("/api/chat", OllamaFake.chat());
        try (Ragkit rag = ragkit()) {
            List<String> tokens = new ArrayList<>();
            Answer answer = rag.pipeline().askStreaming("Where is the Eiffel Tower?", tokens::add);

            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.answeredBy()).isEqualTo("ollama:llama3.1:8b");
            assertThat(answer.usage().completionTokens()).isPositive();
            assertThat(answer.usage().promptTokens()).isPositive();
            assertThat(String.join("", tokens)).isEqualTo(answer.text());
            assertThat(answer.fallbacks()).isEmpty();
        }
    }

    @Test
    void whenBothModelsFailTheAnswerIsExtractiveAndSaysWhy() {
        server.otherwise("/api/chat", StubServer.json(503, "{\"error\":\"server busy\"}"));
        try (Ragkit rag = ragkit()) {
            Answer answer = rag.pipeline().ask("Where is the Eiffel Tower?");

            assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(answer.answeredBy()).isEqualTo("extractive");
            assertThat(answer.fallbacks()).singleElement().satisfies(f -> {
                assertThat(f.from()).isEqualTo("ollama:llama3.1:8b");
                assertThat(f.reason()).contains("HTTP 503").contains("llama3.2:3b").contains("server busy");
            });
            assertThat(server.requests("/api/chat")).hasSize(4);
        }
    }
}
