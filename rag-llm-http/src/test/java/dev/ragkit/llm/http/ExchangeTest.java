package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Exchange} and the {@link HttpLines} under it, against a scripted server on 127.0.0.1. */
class ExchangeTest {
    private static final String PATH = "/api/x";
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Long enough for a loopback answer on a loaded machine, short enough to keep the test quick. */
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final String SECRET = "hf_secretToken123";

    private final StubServer server = StubServer.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(URI.create(server.url() + PATH)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
    }

    private CallFailure failureOf(Exchange exchange) {
        try (exchange) {
            exchange.awaitOk(LIMIT, "waiting for the answer");
            exchange.readJson(LIMIT);
        } catch (CallFailure f) {
            return f;
        }
        throw new AssertionError("expected a CallFailure");
    }

    @Test
    void readsAJsonAnswer() throws CallFailure {
        server.then(PATH, StubServer.json(200, "{\"answer\":42}"));
        try (Exchange exchange = Exchange.send(client, request(), "m1")) {
            exchange.awaitOk(LIMIT, "waiting for the answer");
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.readJson(LIMIT).path("answer").asInt()).isEqualTo(42);
        }
        assertThat(server.requests(PATH)).singleElement().extracting(StubServer.Recorded::body).isEqualTo("{}");
    }

    @Test
    void readsAStreamLineByLineAndSeesItsEnd() throws CallFailure {
        server.then(PATH, StubServer.stream("application/x-ndjson", List.of("{\"n\":1}", "", "{\"n\":2}")));
        List<String> lines = new ArrayList<>();
        try (Exchange exchange = Exchange.send(client, request(), "m1")) {
            exchange.awaitOk(LIMIT, "waiting for the first token");
            String line;
            while ((line = exchange.nextLine(LIMIT, "reading the stream")) != null) {
                lines.add(line);
            }
            assertThat(exchange.nextLine(LIMIT, "reading the stream")).as("stays ended").isNull();
        }
        assertThat(lines).containsExactly("{\"n\":1}", "", "{\"n\":2}");
    }

    @Test
    void aServerErrorIsTransientWithItsRetryAfter() {
        server.then(PATH, StubServer.json(503, "{\"error\":\"overloaded\"}", "Retry-After", "4"));
        CallFailure f = failureOf(Exchange.send(client, request(), "m1"));
        assertThat(f.kind()).isEqualTo(CallFailure.Kind.TRANSIENT);
        assertThat(f.status()).isEqualTo(503);
        assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(f.getMessage()).isEqualTo("HTTP 503 server error for model 'm1': server said \"overloaded\"");
    }

    @Test
    void theSecretIsBlankedOutOfQuotedServerText() {
        server.then(PATH, StubServer.json(401, "{\"error\":\"token " + SECRET + " is invalid\"}"));
        CallFailure f = failureOf(Exchange.send(client, request(), "m1", SECRET, Failures.ONLY_404));
        assertThat(f.kind()).isEqualTo(CallFailure.Kind.AUTHENTICATION);
        assertThat(f.getMessage()).doesNotContain(SECRET).contains("token *** is invalid");
    }

    @Test
    void theUnknownModelHookSeesTheErrorBody() {
        String body = "{\"error\":{\"code\":\"model_not_found\",\"message\":\"nope\"}}";
        server.then(PATH, StubServer.json(400, body)).then(PATH, StubServer.json(400, body));
        List<String> seen = new ArrayList<>();
        CallFailure hooked = failureOf(Exchange.send(client, request(), "m1", null, b -> seen.add(b)));
        assertThat(hooked.kind()).isEqualTo(CallFailure.Kind.MODEL_NOT_FOUND);
        assertThat(seen).containsExactly(body);
        CallFailure plain = failureOf(Exchange.send(client, request(), "m1"));
        assertThat(plain.kind()).isEqualTo(CallFailure.Kind.PERMANENT);
    }

    @Test
    void truncatedJsonIsTransientAndHtmlIsMalformed() {
        server.then(PATH, StubServer.json(200, "{\"done\":tr")).then(PATH, StubServer.json(200, "<html>oops</html>"))
                .then(PATH, StubServer.json(200, ""));
        assertThat(failureOf(Exchange.send(client, request(), "m1")).getMessage())
                .isEqualTo("HTTP 200 truncated response for model 'm1': response body");
        CallFailure html = failureOf(Exchange.send(client, request(), "m1"));
        assertThat(html.kind()).isEqualTo(CallFailure.Kind.PERMANENT);
        assertThat(html.getMessage()).startsWith("HTTP 200 malformed response for model 'm1': response body: ");
        assertThat(failureOf(Exchange.send(client, request(), "m1")).getMessage())
                .isEqualTo("HTTP 200 truncated response for model 'm1': empty response body");
    }

    @Test
    void aBodyCutMidWayIsAConnectionFailureNotAnEnd() {
        server.then(PATH, StubServer.cut("application/json", "{\"answer\":", 1_000));
        CallFailure f = failureOf(Exchange.send(client, request(), "m1"));
        assertThat(f.kind()).isEqualTo(CallFailure.Kind.TRANSIENT);
        assertThat(f.getMessage()).startsWith("connection failed for model 'm1' while reading the response "
                + "(cut mid-way) (no HTTP status)");
    }

    @Test
    void aSilentServerTimesOutBeforeTheHeaders() {
        server.then(PATH, server.silent());
        try (Exchange exchange = Exchange.send(client, request(), "m1")) {
            assertThatThrownBy(() -> exchange.awaitOk(SHORT, "waiting for the first token"))
                    .isInstanceOfSatisfying(CallFailure.class, f -> {
                        assertThat(f.retriable()).isTrue();
                        assertThat(f.getMessage()).isEqualTo("timed out for model 'm1' after 300 ms waiting for "
                                + "the first token (no HTTP status)");
                    });
        }
    }

    @Test
    void aStalledStreamTimesOutAfterTheHeaders() throws CallFailure {
        server.then(PATH, server.headersThenSilence("text/event-stream"));
        try (Exchange exchange = Exchange.send(client, request(), "m1")) {
            exchange.awaitOk(LIMIT, "waiting for the headers");
            assertThatThrownBy(() -> exchange.nextLine(SHORT, "waiting for the first token"))
                    .isInstanceOfSatisfying(CallFailure.class, f -> assertThat(f.getMessage())
                            .contains("after 300 ms waiting for the first token"));
        }
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpRequest refused = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH)).GET().build();
        CallFailure f = failureOf(Exchange.send(client, refused, "m1"));
        assertThat(f.kind()).isEqualTo(CallFailure.Kind.TRANSIENT);
        assertThat(f.status()).isZero();
        assertThat(f.getMessage()).startsWith("connection failed for model 'm1' before the response (no HTTP status)");
    }

    @Test
    void readAllKeepsAtMostMaxChars() throws Exception {
        server.then(PATH, StubServer.stream("text/plain", List.of("abcdef", "ghij")));
        try (HttpLines lines = HttpLines.send(client, request())) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            assertThat(lines.awaitHead(deadline).statusCode()).isEqualTo(200);
            assertThat(lines.readAll(deadline, 8)).isEqualTo("abcdef\ng");
            assertThat(lines.next(deadline)).isNull();
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        server.then(PATH, server.silent());
        Exchange exchange = Exchange.send(client, request(), "m1");
        exchange.close();
        exchange.close();
        assertThatThrownBy(() -> exchange.awaitOk(LIMIT, "waiting")).isInstanceOf(CallFailure.class);
    }
}
