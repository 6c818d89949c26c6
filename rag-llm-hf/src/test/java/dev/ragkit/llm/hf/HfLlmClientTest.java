package dev.ragkit.llm.hf;

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

/** Wire format, status handling, timeouts, retries and fallback against a stub Hugging Face router. */
class HfLlmClientTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String PRIMARY = "meta-llama/Llama-3.1-8B-Instruct";
    private static final String FALLBACK = "Qwen/Qwen2.5-7B-Instruct";

    private final StubServer server = StubServer.start();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        server.close();
    }

    private HfLlmClient.Builder client() {
        return HfLlmClient.builder().apiBase(server.url() + "/v1").token(HfFake.TOKEN).model(PRIMARY)
                .fallbackModel(FALLBACK).retries(2).backoff(Duration.ofMillis(100), Duration.ofMillis(400))
                .jitterSeed(42).sleeper(waits::add).firstTokenTimeout(Duration.ofSeconds(10))
                .totalTimeout(Duration.ofSeconds(20));
    }

    private static LlmRequest question(String text) {
        return new LlmRequest(List.of(ChatMessage.system("Answer briefly."), ChatMessage.user(text)),
                OptionalInt.of(64), OptionalDouble.of(0.2));
    }

    private List<String> modelsAsked() {
        return server.requests(CHAT).stream().map(r -> {
            try {
                return HfFake.JSON.readTree(r.body()).path("model").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static StubServer.Responder serverError(int status, String... headers) {
        return HfFake.openAiError(status, "upstream busy", "server_error", null, headers);
    }

    private static StubServer.Responder sse(List<JsonNode> events, boolean done) {
        List<String> lines = new ArrayList<>();
        events.forEach(e -> HfFake.event(lines, e));
        if (done) {
            lines.add("data: [DONE]");
            lines.add("");
        }
        return StubServer.stream("text/event-stream", lines);
    }

    @Test
    void generateSendsOpenAiRequestWithBearerTokenAndReadsUsage() throws Exception {
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));
        HfLlmClient llm = client().build();

        Generation g = llm.generate(question("What is RAG?"));

        assertThat(g.text()).isEqualTo(HfFake.answer(PRIMARY, "What is RAG?"));
        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(g.usage().promptTokens()).isEqualTo((2 + 3) + (3 + 3));
        assertThat(g.usage().completionTokens()).isEqualTo(HfFake.tokens(g.text()).size());
        StubServer.Recorded sent = server.requests(CHAT).get(0);
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + HfFake.TOKEN);
        JsonNode body = HfFake.JSON.readTree(sent.body());
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(llm.id()).isEqualTo("hf:" + PRIMARY);
    }

    @Test
    void streamParsesServerSentEventsAndUsageChunk() throws Exception {
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));
        List<String> tokens = new ArrayList<>();

        Generation g = client().build().stream(question("Count to three"), tokens::add);

        String expected = HfFake.answer(PRIMARY, "Count to three");
        assertThat(tokens).containsExactlyElementsOf(HfFake.tokens(expected));
        assertThat(g.text()).isEqualTo(expected);
        assertThat(g.usage().completionTokens()).isEqualTo(tokens.size());
        assertThat(g.usage().promptTokens()).isPositive();
        JsonNode body = HfFake.JSON.readTree(server.requests(CHAT).get(0).body());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(server.requests(CHAT).get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void streamWithoutUsageOptionReportsZeroUsage() {
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().streamUsage(false).build().stream(question("hi"), t -> { });

        assertThat(g.usage().totalTokens()).isZero();
        assertThat(g.text()).isEqualTo(HfFake.answer(PRIMARY, "hi"));
    }

    @Test
    void sseCommentsAndMultiLineDataAreHandled() {
        String text = "Hi there";
        List<String> lines = new ArrayList<>(List.of(": keep-alive", "", "event: message",
                "data: " + HfFake.chunk(PRIMARY, "assistant", "Hi", null), "",
                "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"" + PRIMARY + "\",",
                "data: \"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}]}", "",
                "data: [DONE]", ""));
        server.otherwise(CHAT, StubServer.stream("text/event-stream", lines));

        Generation g = client().build().stream(question("hi"), t -> { });

        assertThat(g.text()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void authenticationFailureIsPermanentNotRetriedAndDoesNotLeakTheToken(int status) {
        // A server that echoes the token back must not get it into the exception.
        server.otherwise(CHAT, StubServer.json(status, "{\"error\":\"Invalid credentials in Authorization header: Bearer "
                + HfFake.TOKEN + "\"}"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.backend()).isEqualTo("hf");
        assertThat(e.getMessage()).contains("HTTP " + status).contains(PRIMARY)
                .contains("Invalid credentials in Authorization header").doesNotContain(HfFake.TOKEN);
        assertThat(modelsAsked()).containsExactly(PRIMARY);
        assertThat(waits).isEmpty();
    }

    @Test
    void wrongTokenAgainstARealCheckIs401() {
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().token("hf_wrong").build().stream(question("hi"), t -> { }));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 401");
    }

    @Test
    void tokenIsNeverInToString() {
        assertThat(client().build().toString()).doesNotContain(HfFake.TOKEN).contains("token=***");
        assertThat(HfEmbedder.builder().token(HfFake.TOKEN).model("m").build().toString())
                .doesNotContain(HfFake.TOKEN);
    }

    @Test
    void unknownModel404FallsBackWithoutRetry() {
        server.then(CHAT, HfFake.openAiError(404, "Model " + PRIMARY + " does not exist", "invalid_request_error",
                "model_not_found")).otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(g.fallbacks()).singleElement().satisfies(f -> {
            assertThat(f.from()).isEqualTo("hf:" + PRIMARY);
            assertThat(f.reason()).contains("404");
        });
        assertThat(modelsAsked()).containsExactly(PRIMARY, FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void routerModelNotSupported400FallsBack() {
        server.then(CHAT, HfFake.openAiError(400, "The requested model '" + PRIMARY
                + "' is not supported by any provider you have enabled.", "invalid_request_error", "model_not_supported"))
                .otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void otherBadRequestIsPermanent() {
        server.otherwise(CHAT, HfFake.openAiError(400, "max_tokens must be at least 1", "invalid_request_error", null));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().fallbackModel(null).build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400").contains("max_tokens must be at least 1");
        assertThat(server.requests(CHAT)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void transientStatusIsRetriedWithBackoffThenSucceeds(int status) {
        server.then(CHAT, serverError(status)).then(CHAT, serverError(status)).otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, PRIMARY);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retryAfterSecondsAndHttpDateAreHonoured() {
        String inTwentySeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(20));
        server.then(CHAT, serverError(429, "Retry-After", "2")).then(CHAT, serverError(503, "Retry-After", inTwentySeconds))
                .otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        client().build().generate(question("hi"));

        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    @Test
    void modelLoading503EstimatedTimeIsUsedAsRetryAfter() {
        server.then(CHAT, StubServer.json(503, "{\"error\":\"Model is currently loading\",\"estimated_time\":4.5}"))
                .otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        client().build().generate(question("hi"));

        assertThat(waits).containsExactly(Duration.ofMillis(4500));
    }

    @Test
    void retryAfterBeyondTheLimitGoesStraightToTheFallback() {
        server.then(CHAT, serverError(429, "Retry-After", "86400")).otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(waits).isEmpty();
    }

    @Test
    void retriesExhaustedThenTheFallbackAnswersAStream() {
        for (int i = 0; i < 3; i++) {
            server.then(CHAT, serverError(502));
        }
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));
        List<String> tokens = new ArrayList<>();

        Generation g = client().build().stream(question("hi"), tokens::add);

        assertThat(g.model()).isEqualTo(FALLBACK);
        assertThat(String.join("", tokens)).isEqualTo(g.text());
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, PRIMARY, FALLBACK);
    }

    @Test
    void fallbackAlsoFailingGivesOneRetriableErrorNamingBoth() {
        server.otherwise(CHAT, serverError(500));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().retries(1).build().generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("model '" + PRIMARY + "'").contains("fallback model '" + FALLBACK + "'")
                .contains("HTTP 500").contains("upstream busy");
        assertThat(modelsAsked()).containsExactly(PRIMARY, PRIMARY, FALLBACK, FALLBACK);
    }

    @Test
    void slowFirstTokenTimesOutThenFallback() {
        server.then(CHAT, server.headersThenSilence("text/event-stream")).otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().retries(0).firstTokenTimeout(Duration.ofMillis(300)).build()
                .stream(question("hi"), t -> { });

        assertThat(g.model()).isEqualTo(FALLBACK);
    }

    @Test
    void noResponseAtAllTimesOut() {
        server.otherwise(CHAT, server.silent());

        RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> client().retries(0)
                .fallbackModel(null).totalTimeout(Duration.ofMillis(300)).build().generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("timed out").contains("300 ms");
    }

    @Test
    void streamEndingWithoutDoneIsAnErrorNotAShortAnswer() {
        server.then(CHAT, sse(List.of(HfFake.chunk(PRIMARY, "assistant", "", null),
                HfFake.chunk(PRIMARY, null, "Half", null), HfFake.chunk(PRIMARY, null, " an", null)), false));
        List<String> tokens = new ArrayList<>();

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().build().stream(question("hi"), tokens::add));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("[DONE]").contains("cut mid-way");
        assertThat(tokens).containsExactly("Half", " an");
        assertThat(server.requests(CHAT)).hasSize(1);
    }

    @Test
    void doneWithoutFinishReasonIsAnError() {
        server.otherwise(CHAT, sse(List.of(HfFake.chunk(PRIMARY, null, "Half", null)), true));

        assertThatThrownBy(() -> client().fallbackModel(null).build().stream(question("hi"), t -> { }))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("before any choice finished");
    }

    @Test
    void connectionDroppedMidStreamIsAnError() {
        String partial = "data: " + HfFake.chunk(PRIMARY, null, "Hello", null) + "\n\n";
        server.then(CHAT, StubServer.cut("text/event-stream", partial, 50_000));

        assertThatThrownBy(() -> client().build().stream(question("hi"), t -> { }))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("cut mid-way");
    }

    @Test
    void errorEventMidStreamIsAnError() {
        server.then(CHAT, sse(List.of(HfFake.chunk(PRIMARY, null, "Hel", null),
                HfFake.JSON.createObjectNode().set("error", HfFake.JSON.createObjectNode()
                        .put("message", "Input validation error: inputs tokens + max_new_tokens too long"))), false));

        assertThatThrownBy(() -> client().build().stream(question("hi"), t -> { }))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("Input validation error");
    }

    @Test
    void truncatedJsonBodyIsRetried() {
        server.then(CHAT, StubServer.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"ind"))
                .otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        Generation g = client().build().generate(question("hi"));

        assertThat(g.model()).isEqualTo(PRIMARY);
        assertThat(server.requests(CHAT)).hasSize(2);
    }

    @Test
    void malformedAnswersAreNotRetried() {
        server.then(CHAT, StubServer.json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"))
                .then(CHAT, StubServer.json(200, "<!DOCTYPE html><title>Gateway</title>"));

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().build().generate(question("hi")));

        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("no \"choices\"").contains("malformed");
        assertThat(modelsAsked()).containsExactly(PRIMARY, FALLBACK);
    }

    @Test
    void connectionRefusedIsRetriable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        RagBackendException e = catchThrowableOfType(RagBackendException.class,
                () -> client().apiBase("http://127.0.0.1:" + port + "/v1").fallbackModel(null).retries(1).build()
                        .generate(question("hi")));

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("connection failed");
    }

    @Test
    void openAiCompatibleNeedsNoTokenAndSendsNoAuthorization() {
        server.otherwise(CHAT, HfFake.chat(null));
        HfLlmClient llm = HfLlmClient.openAiCompatible().apiBase(server.url() + "/v1").model("local-model").build();

        Generation g = llm.generate(question("hi"));

        assertThat(llm.id()).isEqualTo("openai-compatible:local-model");
        assertThat(g.text()).isEqualTo(HfFake.answer("local-model", "hi"));
        assertThat(server.requests(CHAT).get(0).header("Authorization")).isNull();
    }

    @Test
    void builderRejectsBadSettingsNamingTheField() {
        assertThatThrownBy(() -> HfLlmClient.builder().model("m").build()).hasMessageContaining("token was not set");
        assertThatThrownBy(() -> HfLlmClient.openAiCompatible().model("m").build())
                .hasMessageContaining("apiBase was not set");
        assertThatThrownBy(() -> HfLlmClient.builder().token("t").build()).hasMessageContaining("model was not set");
        assertThatThrownBy(() -> HfLlmClient.builder().token("t").model("m").temperature(-1.0).build())
                .hasMessageContaining("temperature was -1.0");
    }
}
