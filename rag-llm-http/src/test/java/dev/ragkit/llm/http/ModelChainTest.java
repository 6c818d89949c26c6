package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Answer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ModelChainTest {
    private static final long SEED = 7L;

    private final List<Duration> waits = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    /** Per model, what the next calls do: a failure to throw, or null to answer. */
    private final Map<String, Deque<CallFailure>> script = new HashMap<>();

    private ModelChain chain(int retries, String... models) {
        RetryPolicy policy = new RetryPolicy(retries, Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofSeconds(10), waits::add, new Random(SEED));
        return new ModelChain("test", "chat", List.of(models), policy, LoggerFactory.getLogger(ModelChainTest.class));
    }

    private void script(String model, CallFailure... failures) {
        script.computeIfAbsent(model, m -> new ArrayDeque<>()).addAll(List.of(failures));
    }

    private String call(String model) throws CallFailure {
        calls.add(model);
        CallFailure next = script.getOrDefault(model, new ArrayDeque<>()).pollFirst();
        if (next != null) {
            throw next;
        }
        return "answer from " + model;
    }

    private static CallFailure status(CallFailure.Kind kind, int status, Duration retryAfter) {
        return new CallFailure(kind, status, retryAfter, "HTTP " + status + " for the test", null);
    }

    private static CallFailure busy() {
        return status(CallFailure.Kind.TRANSIENT, 503, null);
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenAnswer() {
        script("a", busy(), busy());
        List<Answer.Fallback> skipped = new ArrayList<>();
        assertThat(chain(2, "a", "b").run(this::call, () -> false, skipped)).isEqualTo("answer from a");
        assertThat(calls).containsExactly("a", "a", "a");
        assertThat(waits).as("seed %d", SEED).hasSize(2);
        assertThat(waits.get(0).toMillis()).isBetween(50L, 100L);
        assertThat(waits.get(1).toMillis()).isBetween(100L, 200L);
        assertThat(skipped).isEmpty();
    }

    @Test
    void retryAfterIsHonoured() {
        script("a", status(CallFailure.Kind.TRANSIENT, 429, Duration.ofSeconds(3)));
        assertThat(chain(1, "a").run(this::call, () -> false)).isEqualTo("answer from a");
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRetryAfterLongerThanAllowedGoesToTheFallbackAtOnce() {
        script("a", status(CallFailure.Kind.TRANSIENT, 429, Duration.ofSeconds(60)));
        List<Answer.Fallback> skipped = new ArrayList<>();
        assertThat(chain(3, "a", "b").run(this::call, () -> false, skipped)).isEqualTo("answer from b");
        assertThat(calls).containsExactly("a", "b");
        assertThat(waits).isEmpty();
        assertThat(skipped).extracting(Answer.Fallback::from).containsExactly("test:a");
    }

    @Test
    void authenticationFailureStopsEverything() {
        script("a", status(CallFailure.Kind.AUTHENTICATION, 401, null));
        assertThatThrownBy(() -> chain(3, "a", "b").run(this::call, () -> false))
                .isInstanceOfSatisfying(RagBackendException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.backend()).isEqualTo("test");
                    assertThat(e.getMessage()).contains("HTTP 401");
                });
        assertThat(calls).containsExactly("a");
        assertThat(waits).isEmpty();
    }

    @Test
    void unknownModelFallsBackWithoutRetry() {
        script("a", status(CallFailure.Kind.MODEL_NOT_FOUND, 404, null));
        List<Answer.Fallback> skipped = new ArrayList<>();
        assertThat(chain(3, "a", "b").run(this::call, () -> false, skipped)).isEqualTo("answer from b");
        assertThat(calls).containsExactly("a", "b");
        assertThat(skipped).containsExactly(new Answer.Fallback("test:a", "HTTP 404 for the test"));
    }

    @Test
    void whenEveryModelFailsOneExceptionNamesEach() {
        script("a", busy(), busy());
        script("b", status(CallFailure.Kind.PERMANENT, 400, null));
        assertThatThrownBy(() -> chain(1, "a", "b").run(this::call, () -> false))
                .isInstanceOfSatisfying(RagBackendException.class, e -> {
                    assertThat(e.retriable()).as("a's failure was transient").isTrue();
                    assertThat(e.getMessage()).endsWith("chat failed: model 'a': HTTP 503 for the test "
                            + "(after 2 attempts); fallback model 'b': HTTP 400 for the test");
                });
        assertThat(calls).containsExactly("a", "a", "b");
    }

    @Test
    void onlyPermanentFailuresGiveANonRetriableException() {
        script("a", status(CallFailure.Kind.PERMANENT, 400, null));
        assertThatThrownBy(() -> chain(3, "a").run(this::call, () -> false))
                .isInstanceOfSatisfying(RagBackendException.class, e -> assertThat(e.retriable()).isFalse());
        assertThat(calls).containsExactly("a");
    }

    @Test
    void afterPartialOutputNothingIsRetried() {
        script("a", busy());
        assertThatThrownBy(() -> chain(3, "a", "b").run(this::call, () -> true))
                .isInstanceOfSatisfying(RagBackendException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.getMessage()).contains("after part of the answer had been streamed; not retried");
                });
        assertThat(calls).containsExactly("a");
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedWaitStopsWithARetriableErrorAndKeepsTheFlag() {
        script("a", busy());
        RetryPolicy interrupted = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofSeconds(1), d -> {
                    throw new InterruptedException();
                }, new Random(SEED));
        ModelChain c = new ModelChain("test", "embed", List.of("a"), interrupted, LoggerFactory.getLogger("t"));
        try {
            assertThatThrownBy(() -> c.run(this::call, () -> false))
                    .isInstanceOfSatisfying(RagBackendException.class, e -> {
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.getMessage()).contains("embed interrupted while waiting to retry model 'a'");
                    });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void needsAtLeastOneModel() {
        assertThatThrownBy(() -> chain(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one model");
    }
}
