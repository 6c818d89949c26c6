package dev.ragkit.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.langchain4j.internal.OllamaEmbedderProvider;
import dev.ragkit.langchain4j.internal.OllamaLlmClientProvider;
import dev.ragkit.langchain4j.internal.OpenAiLlmClientProvider;
import dev.ragkit.llm.http.StubServer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What LangChain4j's Ollama and OpenAI models do on failures, as Ragkit sees them through this module: typed,
 * retriable or not, and never a hang: cut or silent streams fail within the stream idle deadline this
 * module adds (LangChain4j's streaming models wait for their end marker forever).
 */
class LangChain4jFailuresTest {
    private static final LlmRequest REQUEST = LlmRequest.of(List.of(ChatMessage.user("Say hello.")));
    private final StubServer server = StubServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private LlmClient ollama(String... extra) {
        Map<String, String> keys = new HashMap<>(Map.of("base-url", server.url(), "model", "llama3.1:8b",
                "timeout", "5s", "stream-idle-timeout", "1500ms"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            keys.put(extra[i], extra[i + 1]);
        }
        return new OllamaLlmClientProvider().create(ProviderConfig.of("llm", "langchain4j-ollama", keys));
    }

    private LlmClient openAi() {
        return new OpenAiLlmClientProvider().create(ProviderConfig.of("llm", "langchain4j-openai",
                Map.of("base-url", server.url() + "/v1", "api-key", "sk-test", "model", "gpt-4o-mini",
                        "timeout", "5s", "stream-idle-timeout", "1500ms")));
    }

    private static RagBackendException backendFailure(Runnable call) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(call::run).isInstanceOf(RagBackendException.class).satisfies(t -> thrown[0] = t);
        return (RagBackendException) thrown[0];
    }

    @Test
    void statusCodesMapToRetriableOrPermanent() {
        server.then("/api/chat", StubServer.json(500, "{\"error\":\"model crashed\"}"))
                .then("/api/chat", StubServer.json(404, "{\"error\":\"model 'llama3.1:8b' not found\"}"))
                .then("/api/chat", StubServer.json(400, "{\"error\":\"bad request\"}"))
                .then("/v1/chat/completions", StubServer.json(401, "{\"error\":{\"message\":\"Incorrect API key\"}}"))
                .then("/v1/chat/completions", StubServer.json(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After", "7"))
                .then("/v1/chat/completions", StubServer.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        LlmClient ollama = ollama();
        LlmClient openAi = openAi();

        RagBackendException crashed = backendFailure(() -> ollama.generate(REQUEST));
        assertThat(crashed.retriable()).as("500").isTrue();
        assertThat(crashed.backend()).isEqualTo("langchain4j-ollama:llama3.1:8b");
        assertThat(crashed.getMessage()).contains("model crashed");
        assertThat(backendFailure(() -> ollama.generate(REQUEST)).retriable()).as("404 unknown model").isFalse();
        assertThat(backendFailure(() -> ollama.generate(REQUEST)).retriable()).as("400").isFalse();

        RagBackendException auth = backendFailure(() -> openAi.generate(REQUEST));
        assertThat(auth.retriable()).as("401").isFalse();
        assertThat(auth.getMessage()).doesNotContain("sk-test");
        RagBackendException limited = backendFailure(() -> openAi.generate(REQUEST));
        assertThat(limited.retriable()).as("429").isTrue();
        // Known limitation: LangChain4j's HttpException carries no headers, so Retry-After (7 s) is lost.
        assertThat(limited.getMessage()).doesNotContain("Retry-After");
        assertThat(backendFailure(() -> openAi.generate(REQUEST)).retriable()).as("503").isTrue();
    }

    @Test
    void unreachableServerIsRetriable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LlmClient client = new OllamaLlmClientProvider().create(ProviderConfig.of("llm", "langchain4j-ollama",
                Map.of("base-url", "http://127.0.0.1:" + port, "model", "m", "timeout", "2s")));
        assertThat(backendFailure(() -> client.generate(REQUEST)).retriable()).isTrue();
        assertThat(backendFailure(() -> client.stream(REQUEST, t -> { })).retriable()).isTrue();
    }

    @Test
    void ollamaStreamCutBeforeItsEndFailsInsteadOfHanging() {
        server.then("/api/chat", StubServer.stream("application/x-ndjson", List.of(
                WireFakes.ollamaLine("llama3.1:8b", "Hello", false, 0, 0),
                WireFakes.ollamaLine("llama3.1:8b", " there", false, 0, 0))));
        List<String> tokens = new ArrayList<>();
        long start = System.nanoTime();
        RagBackendException cut = backendFailure(() -> ollama().stream(REQUEST, tokens::add));
        assertThat(cut.retriable()).isTrue();
        assertThat(tokens).containsExactly("Hello", " there");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds until the failure").isLessThan(10);
    }

    @Test
    void silentServerFailsAtTheIdleDeadline() {
        server.then("/api/chat", server.headersThenSilence("application/x-ndjson"));
        RagBackendException silent = backendFailure(() -> ollama().stream(REQUEST, t -> { }));
        assertThat(silent.retriable()).isTrue();
        assertThat(silent.getMessage()).contains("streamIdleTimeout");
    }

    @Test
    void openAiStreamEndingWithoutFinishReasonIsACut() {
        server.then("/v1/chat/completions", StubServer.stream("text/event-stream", List.of(
                "data: " + WireFakes.openAiChunk("gpt-4o-mini", "Hello", null), "",
                "data: " + WireFakes.openAiChunk("gpt-4o-mini", " there", null), "")));
        RagBackendException cut = backendFailure(() -> openAi().stream(REQUEST, t -> { }));
        assertThat(cut.retriable()).isTrue();
    }

    @Test
    void emptyAnswerIsAFailureNotAnEmptyGeneration() {
        server.then("/api/chat", StubServer.json(200, WireFakes.ollamaLine("llama3.1:8b", "", true, 3, 0)));
        assertThat(backendFailure(() -> ollama().generate(REQUEST)).getMessage()).contains("empty answer");
    }

    @Test
    void thePipelinesFallbackChainMovesToTheNextLangChain4jModel() {
        server.otherwise("/api/chat", StubServer.json(503, "{\"error\":\"loading model\"}"))
                .otherwise("/v1/chat/completions", WireFakes.openAiChat())
                .otherwise("/api/embed", WireFakes.ollamaEmbed());
        Embedder embedder = new OllamaEmbedderProvider().create(ProviderConfig.of("embedder", "langchain4j-ollama",
                Map.of("base-url", server.url(), "model", "nomic-embed-text")));
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(embedder.dimension()).build();
        String text = "The Eiffel Tower was completed in 1889.";
        store.upsert(List.of(new EmbeddedChunk(Chunk.of("eiffel", 0, text, Map.of()), embedder.embedDocuments(List.of(text)).get(0))));
        RagPipeline pipeline = RagPipeline.builder()
                .retriever(Retriever.builder().store(store).embedder(embedder).mode(RetrievalMode.DENSE).topK(1).build())
                .llm(ollama(), openAi()).build();

        Answer answer = pipeline.ask("When was the Eiffel Tower completed?");

        assertThat(answer.answeredBy()).isEqualTo("langchain4j-openai:gpt-4o-mini");
        assertThat(answer.fallbacks()).extracting(Answer.Fallback::from).containsExactly("langchain4j-ollama:llama3.1:8b");
        assertThat(answer.usage().promptTokens()).isPositive();
        assertThat(answer.text()).contains("Model gpt-4o-mini read");
    }
}
