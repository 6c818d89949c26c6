package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final HttpHeaders NONE = headers(Map.of());
    private static final Predicate<String> SAYS_UNKNOWN = body -> body.contains("model_not_found");

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (k, v) -> true);
    }

    @Test
    void authenticationFailuresAreNeitherRetriedNorFallenBackFrom() {
        for (int status : new int[] {401, 403}) {
            CallFailure f = Failures.forStatus(status, "m1", "{\"error\":\"bad token\"}", NONE, Failures.ONLY_404);
            assertThat(f.kind()).isEqualTo(CallFailure.Kind.AUTHENTICATION);
            assertThat(f.retriable()).isFalse();
            assertThat(f.status()).isEqualTo(status);
            assertThat(f.getMessage()).isEqualTo("HTTP " + status + " authentication failed for model 'm1': server "
                    + "said \"bad token\"");
        }
    }

    @Test
    void notFoundIsAnUnknownModel() {
        CallFailure f = Failures.forStatus(404, "m1", "", NONE, Failures.ONLY_404);
        assertThat(f.kind()).isEqualTo(CallFailure.Kind.MODEL_NOT_FOUND);
        assertThat(f.getMessage()).isEqualTo("HTTP 404 model 'm1' not found");
    }

    @Test
    void theVendorHookDecidesWhetherA400Or422MeansUnknownModel() {
        String body = "{\"error\":{\"code\":\"model_not_found\",\"message\":\"no such model\"}}";
        for (int status : new int[] {400, 422}) {
            CallFailure hooked = Failures.forStatus(status, "m1", body, NONE, SAYS_UNKNOWN);
            assertThat(hooked.kind()).isEqualTo(CallFailure.Kind.MODEL_NOT_FOUND);
            assertThat(hooked.getMessage()).isEqualTo("HTTP " + status
                    + " model 'm1' not found or not served: server said \"no such model\"");
            CallFailure plain = Failures.forStatus(status, "m1", body, NONE, Failures.ONLY_404);
            assertThat(plain.kind()).isEqualTo(CallFailure.Kind.PERMANENT);
            assertThat(plain.getMessage()).startsWith("HTTP " + status + " request rejected for model 'm1'");
        }
        assertThat(Failures.forStatus(402, "m1", body, NONE, SAYS_UNKNOWN).kind()).isEqualTo(CallFailure.Kind.PERMANENT);
        assertThat(Failures.forStatus(400, "m1", null, NONE, SAYS_UNKNOWN).kind()).isEqualTo(CallFailure.Kind.PERMANENT);
    }

    @Test
    void timeoutsRateLimitsAndServerErrorsAreTransient() {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            CallFailure f = Failures.forStatus(status, "m1", "busy", NONE, Failures.ONLY_404);
            assertThat(f.kind()).as("status %d", status).isEqualTo(CallFailure.Kind.TRANSIENT);
            assertThat(f.retriable()).isTrue();
            assertThat(f.retryAfter()).isNull();
        }
        assertThat(Failures.forStatus(429, "m1", "", NONE, Failures.ONLY_404).getMessage())
                .isEqualTo("HTTP 429 rate limited for model 'm1'");
        assertThat(Failures.forStatus(408, "m1", "", NONE, Failures.ONLY_404).getMessage()).contains("request timeout");
        assertThat(Failures.forStatus(500, "m1", "", NONE, Failures.ONLY_404).getMessage()).contains("server error");
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        HttpHeaders seconds = headers(Map.of("Retry-After", List.of("7")));
        assertThat(Failures.forStatus(429, "m1", "", seconds, Failures.ONLY_404).retryAfter())
                .isEqualTo(Duration.ofSeconds(7));

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        Duration wait = Failures.forStatus(503, "m1", "", headers(Map.of("Retry-After", List.of(date))),
                Failures.ONLY_404).retryAfter();
        // The date has a one-second resolution and the clock moves on while the test runs.
        assertThat(wait).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));

        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(Failures.parseRetryAfter(past)).isZero();
        assertThat(Failures.parseRetryAfter("-3")).isNull();
        assertThat(Failures.parseRetryAfter("soon")).isNull();
    }

    @Test
    void estimatedTimeOfALoadingModelIsUsedWhenThereIsNoHeader() {
        String loading = "{\"error\":\"Model is currently loading\",\"estimated_time\":12.3}";
        assertThat(Failures.forStatus(503, "m1", loading, NONE, Failures.ONLY_404).retryAfter())
                .isEqualTo(Duration.ofMillis(12_300));
        assertThat(Failures.forStatus(503, "m1", loading, headers(Map.of("Retry-After", List.of("2"))),
                Failures.ONLY_404).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Failures.forStatus(500, "m1", loading, NONE, Failures.ONLY_404).retryAfter()).isNull();
        assertThat(Failures.forStatus(503, "m1", "not json", NONE, Failures.ONLY_404).retryAfter()).isNull();
    }

    @Test
    void serverMessageReadsTheUsualErrorShapes() {
        assertThat(Failures.serverMessage("{\"error\":\"plain\"}")).contains("plain");
        assertThat(Failures.serverMessage("{\"error\":{\"message\":\"openai\"}}")).contains("openai");
        assertThat(Failures.serverMessage("{\"message\":\"top\"}")).contains("top");
        assertThat(Failures.serverMessage("{\"detail\":\"fastapi\"}")).contains("fastapi");
        assertThat(Failures.serverMessage("<html>\n  <b>Bad   gateway</b>\n</html>"))
                .contains("<html> <b>Bad gateway</b> </html>");
        assertThat(Failures.serverMessage("  ")).isEmpty();
        assertThat(Failures.serverMessage(null)).isEmpty();
        String longText = "x".repeat(Failures.MAX_QUOTE + 50);
        assertThat(Failures.serverMessage(longText)).contains("x".repeat(Failures.MAX_QUOTE) + "...");
    }

    @Test
    void truncatedJsonIsTransientAndOtherParseErrorsArePermanent() throws Exception {
        JsonProcessingException eof = parseError("{\"answer\":[1, 2");
        CallFailure truncated = Failures.unreadable("m1", 200, "response body", eof, false);
        assertThat(truncated.kind()).isEqualTo(CallFailure.Kind.TRANSIENT);
        assertThat(truncated.getMessage()).isEqualTo("HTTP 200 truncated response for model 'm1': response body");

        JsonProcessingException html = parseError("<html>");
        CallFailure malformed = Failures.unreadable("m1", 200, "response body", html, false);
        assertThat(malformed.kind()).isEqualTo(CallFailure.Kind.PERMANENT);
        assertThat(malformed.getMessage()).startsWith("HTTP 200 malformed response for model 'm1': response body: ");
        assertThat(Failures.unreadable("m1", 200, "x", html, true).kind()).isEqualTo(CallFailure.Kind.TRANSIENT);
    }

    @Test
    void timeoutsAndConnectionErrorsSayThereWasNoStatus() {
        CallFailure t = Failures.timeout("m1", "waiting for the first token", Duration.ofMillis(300));
        assertThat(t.retriable()).isTrue();
        assertThat(t.status()).isZero();
        assertThat(t.getMessage()).isEqualTo(
                "timed out for model 'm1' after 300 ms waiting for the first token (no HTTP status)");

        CallFailure connect = Failures.io("m1", "before the response", new HttpConnectTimeoutException("x"));
        assertThat(connect.getMessage()).isEqualTo(
                "connection failed for model 'm1' before the response (no HTTP status): connect timeout");
        CallFailure reset = Failures.io("m1", "while reading", new IOException("reset"));
        assertThat(reset.getMessage()).endsWith("(no HTTP status): IOException: reset");
        assertThat(reset.getCause()).isInstanceOf(IOException.class);
    }

    private static JsonProcessingException parseError(String json) {
        try {
            Exchange.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("expected a parse error for " + json);
    }
}
