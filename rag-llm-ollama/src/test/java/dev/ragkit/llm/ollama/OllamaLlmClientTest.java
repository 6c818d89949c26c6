package dev.ragkit.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.llm.http.StubServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire format, status handling, timeouts, retries and fallback against a stub Ollama. */
class OllamaLlmClientTest {
    private static final String CHAT = "/api/chat";
    private static final String PRIMARY = "llama3.1:8b";
    private static final String FALLBACK = "llama3.2:3b";

    private final StubServer server = StubServer.start();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        server.close();
    }

    private OllamaLlmClient.Builder client() {
        return OllamaLlmClient.builder().baseUrl(server.url()).model(PRIMARY).fallbackModel(FALLBACK)
                .retries(2).backoff(Duration.ofMillis(100), Duration.ofMillis(400)).jitterSeed(42)
                .sleeper(waits::add).firstTokenTimeout(Duration.ofSeconds(10)).totalTimeout(Duration.ofSeconds(20));
    }

    private static LlmRequest question(String text) {
        return new LlmRequest(List.of(ChatMessage.system("Answer briefly."), ChatMessage.user(text)),
                OptionalInt.of(64), OptionalDouble.of(0.2));
    }

    private List<String> modelsAsked() {
        return server.requests(CHAT).stream().map(r -> {
            try {
                return OllamaFake.JSON.readTree(r.body()).path("model").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static StubServer.Responder error(int status, String message, String... headers) {
        return StubServer.json(status, OllamaFake.JSON.createObjectNode().put("error", message).toString(), headers);
    }

    @Test
    void generateSendsOllamaRequestAndReadsAnswerAndUsage() throws Exception {
        server.otherwise(CHAT, OllamaFake.chat());
        OllamaLlmClient llm = client().temperature(0.7).numCtx(4096).keepAlive("10m").build();

        Generation g = llm.generate(question("What is RAG?"));

        assertThat(g.text()).isEqualTo(OllamaFake.answer(PRIMARY, "What is RAG?"));
        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(g.usage().promptTokens()).isEqualTo((2 + 4) + (3 + 4));
        assertThat(g.usage().completionTokens()).isEqualTo(OllamaFake.tokens(g.text()).size());
        JsonNode sent = OllamaFake.JSON.readTree(server.requests(CHAT).get(0).body());
        assertThat(sent.path("stream").asBoolean(true)).isFalse();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(sent.path("options").path("temperature").asDouble()).as("request temperature wins").isEqualTo(0.2);
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(64);
        assertThat(sent.path("options").path("num_ctx").asInt()).isEqualTo(4096);
        assertThat(sent.path("keep_alive").asText()).isEqualTo("10m");
        assertThat(llm.id()).isEqualTo("ollama:" + PRIMARY);
    }

    @Test
    void configuredTemperatureIsUsedWhenTheRequestHasNone() throws Exception {
        server.otherwise(CHAT, OllamaFake.chat());
        client().temperature(0.7).build().generate(LlmRequest.of(List.of(ChatMessage.user("hi"))));
        JsonNode sent = OllamaFake.JSON.readTree(server.requests(CHAT).get(0).body());
        assertThat(sent.path("options").path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.path("options").has("num_predict")).isFalse();
        assertThat(sent.has("keep_alive")).isFalse();
    }

    @Test
    void streamDeliversEachTokenAndReturnsTheWholeAnswer() throws Exception {
        server.otherwise(CHAT, OllamaFake.chat());
        List<String> tokens = new ArrayList<>();

        Generation g = client().build().stream(question("Count to three"), tokens::add);

        String expected = OllamaFake.answer(PRIMARY, "Count to three");
        assertThat(tokens).containsExactlyElementsOf(OllamaFake.tokens(expected));
        assertThat(g.text()).isEqualTo(expected);
        assertThat(g.usage().completionTokens()).isEqualTo(tokens.size());
        assertThat(OllamaFake.JSON.readTree(server.requests(CHAT).get(0).body()).path("stream").asBoolean())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void authenticationFailureIsPermanentAndNeitherRetriedNorFallenBack(int status) {
        server.otherwise(CHAT, error(status, "unauthorized"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.backend()).isEqualTo("ollama");
        assertThat(e.getMessage()).contains("HTTP " + status).contains(PRIMARY).contains("unauthorized");
        assertThat(modelsAsked()).containsExactly(PRIMARY);
        assertThat(waits).isEmpty();
    }

    @Test
    void unknownModelIsNotRetriedAndFallsBackToTheFallbackModel() {
        server.then(CHAT, error(404, "model \"" + PRIMARY + "\" not found, try pulling it first"))
                .otherwise(CHAT, OllamaFake.chat());

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(g.text()).isEqualTo(OllamaFake.answer(FALLBACK, "hi"));
        assertThat(g.fallbacks()).singleElement().satisfies(f -> {
            assertThat(f.from()).isEqualTo("ollama:" + PRIMARY);
            assertThat(f.reason()).contains("HTTP 404");
        });
        assertThat(modelsAsked()).containsExactly(PRIMARY, FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void unknownModelWithoutFallbackIsAPermanentError() {
        server.otherwise(CHAT, error(404, "model \"nosuch\" not found, try pulling it first"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().model("nosuch").fallbackModel(null).build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 404").contains("'nosuch'").contains("not found");
        assertThat(server.requests(CHAT)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void transientStatusIsRetriedWithBackoffThenSucceeds(int status) {
        server.then(CHAT, error(status, "busy")).then(CHAT, error(status, "busy"))
                .otherwise(CHAT, OllamaFake.chat());

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, PRIMARY);
        // Equal jitter: retry n waits between half and all of 100 ms * 2^(n-1).
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retryAfterSecondsIsHonoured() {
        server.then(CHAT, error(429, "rate limited", "Retry-After", "3")).otherwise(CHAT, OllamaFake.chat());

        client().build().generate(question("hi"));

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterLongerThanTheLimitSkipsStraightToTheFallback() {
        server.then(CHAT, error(429, "rate limited", "Retry-After", "3600")).otherwise(CHAT, OllamaFake.chat());

        Generation g = client().maxRetryAfter(Duration.ofSeconds(10)).build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void retriesExhaustedThenTheFallbackModelAnswers() {
        for (int i = 0; i < 3; i++) {
            server.then(CHAT, error(503, "server overloaded"));
        }
        server.otherwise(CHAT, OllamaFake.chat());

        Generation g = client().build().stream(question("hi"), t -> { });

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, PRIMARY, FALLBACK);
        assertThat(waits).hasSize(2);
    }

    @Test
    void whenTheFallbackAlsoFailsARetriableErrorNamesBothModels() {
        server.otherwise(CHAT, error(500, "llama runner process has terminated"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().retries(1).build().generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("model '" + PRIMARY + "'").contains("fallback model '" + FALLBACK + "'")
                .contains("HTTP 500").contains("llama runner process has terminated");
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, FALLBACK, FALLBACK);
    }

    @Test
    void unknownPrimaryAndFailingFallbackIsRetriableBecauseTheFallbackMayRecover() {
        server.then(CHAT, error(404, "model not found")).otherwise(CHAT, error(503, "loading"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().retries(0).build().generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 404").contains("HTTP 503");
    }

    @Test
    void slowFirstTokenTimesOutAndTheFallbackAnswers() {
        server.then(CHAT, server.silent()).otherwise(CHAT, OllamaFake.chat());

        Generation g = client().retries(0).firstTokenTimeout(Duration.ofMillis(300)).build()
                .stream(question("hi"), t -> { });

        assertThat(g.model()).isEqualTo(FALLBACK);
    }

    @Test
    void headersWithoutAFirstTokenAlsoTimeOut() {
        server.otherwise(CHAT, server.headersThenSilence("application/x-ndjson"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> client().retries(0)
                .fallbackModel(null).firstTokenTimeout(Duration.ofMillis(300)).build().stream(question("hi"), t -> { }));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("timed out").contains("first token").contains(PRIMARY);
    }

    @Test
    void blockingCallHonoursTheTotalTimeout() {
        server.otherwise(CHAT, server.silent());

        RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> client().retries(0)
                .fallbackModel(null).totalTimeout(Duration.ofMillis(300)).build().generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("timed out").contains("300 ms");
    }

    @Test
    void streamEndingBeforeDoneIsAnErrorNotAShortAnswer() {
        String text = OllamaFake.answer(PRIMARY, "hi");
        List<String> firstTwo = OllamaFake.tokens(text).subList(0, 2).stream()
                .map(t -> OllamaFake.chunk(PRIMARY, t).toString()).toList();
        server.then(CHAT, StubServer.stream("application/x-ndjson", firstTwo)).otherwise(CHAT, OllamaFake.chat());
        List<String> tokens = new ArrayList<>();

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().build().stream(question("hi"), tokens::add));

        assertThat(e.getMessage()).contains("cut mid-way").contains(PRIMARY);
        assertThat(e.retriable()).isTrue();
        // Tokens already went to the caller, so a retry would repeat them: the pipeline must restart.
        assertThat(tokens).hasSize(2);
        assertThat(server.requests(CHAT)).hasSize(1);
    }

    @Test
    void connectionDroppedMidStreamIsAnError() {
        String first = OllamaFake.chunk(PRIMARY, "Hello").toString() + "\n";
        server.then(CHAT, StubServer.cut("application/x-ndjson", first, 10_000));

        assertThatThrownBy(() -> client().build().stream(question("hi"), t -> { }))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("cut mid-way");
    }

    @Test
    void streamCutBeforeAnyTokenIsRetried() {
        server.then(CHAT, StubServer.stream("application/x-ndjson", List.of())).otherwise(CHAT, OllamaFake.chat());
        List<String> tokens = new ArrayList<>();

        Generation g = client().build().stream(question("hi"), tokens::add);

        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(String.join("", tokens)).isEqualTo(g.text());
        assertThat(server.requests(CHAT)).hasSize(2);
    }

    @Test
    void errorLineInTheStreamIsAnError() {
        server.then(CHAT, StubServer.stream("application/x-ndjson", List.of(
                OllamaFake.chunk(PRIMARY, "Hel").toString(), "{\"error\":\"an error was encountered while running the model\"}")));

        assertThatThrownBy(() -> client().build().stream(question("hi"), t -> { }))
                .isInstanceOf(RagBackendException.class)
                .hasMessageContaining("an error was encountered while running the model");
    }

    @Test
    void truncatedBlockingBodyIsRetried() {
        String whole = OllamaFake.finalLine(PRIMARY, "Hello there", 3, 2).toString();
        server.then(CHAT, StubServer.cut("application/json", whole.substring(0, whole.length() / 2), whole.length()))
                .then(CHAT, StubServer.json(200, whole.substring(0, whole.length() / 2)))
                .otherwise(CHAT, OllamaFake.chat());

        Generation g = client().build().generate(question("hi"));

        assertThat(g.text()).isEqualTo(OllamaFake.answer(PRIMARY, "hi"));
        assertThat(server.requests(CHAT)).hasSize(3);
    }

    @Test
    void malformedBodyIsNotRetriedButFallsBack() {
        server.then(CHAT, StubServer.json(200, "<html>502 Bad Gateway</html>")).otherwise(CHAT, OllamaFake.chat());

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void answerWithoutDoneIsMalformed() {
        server.otherwise(CHAT, StubServer.json(200, OllamaFake.chunk(PRIMARY, "Hello").toString()));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().fallbackModel(null).build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("malformed").contains("done");
    }

    @Test
    void badRequestIsNotRetried() {
        server.otherwise(CHAT, error(400, "invalid options"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().fallbackModel(null).build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400").contains("invalid options");
        assertThat(server.requests(CHAT)).hasSize(1);
    }

    @Test
    void connectionRefusedIsRetriable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OllamaLlmClient llm = client().baseUrl("http://127.0.0.1:" + port).retries(1).build();

        RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> llm.generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("connection failed").contains(PRIMARY).contains(FALLBACK);
        assertThat(waits).hasSize(2);
    }

    @Test
    void builderRejectsBadSettingsNamingTheField() {
        assertThatThrownBy(() -> OllamaLlmClient.builder().build()).hasMessageContaining("model was not set");
        assertThatThrownBy(() -> OllamaLlmClient.builder().model("m").baseUrl("ftp://x").build())
                .hasMessageContaining("baseUrl was 'ftp://x'");
        assertThatThrownBy(() -> OllamaLlmClient.builder().model("m").temperature(3.0).build())
                .hasMessageContaining("temperature was 3.0");
        assertThatThrownBy(() -> OllamaLlmClient.builder().model("m").retries(-1).build())
                .hasMessageContaining("retries was -1");
        assertThatThrownBy(() -> OllamaLlmClient.builder().model("m").keepAlive("soon").build())
                .hasMessageContaining("keepAlive was 'soon'");
    }
}
