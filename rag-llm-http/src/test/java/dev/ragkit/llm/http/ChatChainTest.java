package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.Generation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ChatChainTest {
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    private ChatChain chain(String model, String fallback) {
        RetryPolicy policy = new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1),
                waits::add, new Random(3L));
        return new ChatChain("test", model, fallback, policy, LoggerFactory.getLogger(ChatChainTest.class));
    }

    private static Generation answer(String text, String model) {
        return new Generation(text, new TokenUsage(1, 2), model);
    }

    @Test
    void theFallbackIsKeptOnlyWhenItIsAnotherModel() {
        assertThat(chain("a", " b ").models()).containsExactly("a", "b");
        assertThat(chain("a", " a ").models()).containsExactly("a");
        assertThat(chain("a", "  ").models()).containsExactly("a");
        assertThat(chain("a", null).models()).containsExactly("a");
    }

    @Test
    void aGenerationFromTheFallbackNamesTheModelGivenUpOn() {
        Generation g = chain("a", "b").generate(m -> {
            calls.add(m);
            if (m.equals("a")) {
                throw new CallFailure(CallFailure.Kind.MODEL_NOT_FOUND, 404, null, "HTTP 404 model 'a' not found", null);
            }
            return answer("hi", m);
        });
        assertThat(calls).containsExactly("a", "b");
        assertThat(g.text()).isEqualTo("hi");
        assertThat(g.model()).isEqualTo("b");
        assertThat(g.fallbacks()).hasSize(1);
        assertThat(g.fallbacks().get(0).toString()).contains("a").contains("404");
    }

    @Test
    void aGenerationFromThePrimaryModelHasNoFallbacks() {
        Generation g = chain("a", "b").generate(m -> answer("hi", m));
        assertThat(g.fallbacks()).isEmpty();
        assertThat(g.model()).isEqualTo("a");
    }

    @Test
    void aStreamIsRetriedBeforeItsFirstTokenButNotAfter() {
        List<String> tokens = new ArrayList<>();
        Generation g = chain("a", null).stream(tokens::add, (m, onToken) -> {
            calls.add(m);
            if (calls.size() == 1) {
                throw CallFailure.transientFailure("cut before any token", null);
            }
            onToken.accept("he");
            onToken.accept("llo");
            return answer("hello", m);
        });
        assertThat(g.text()).isEqualTo("hello");
        assertThat(tokens).containsExactly("he", "llo");
        assertThat(calls).containsExactly("a", "a");
        assertThat(waits).hasSize(1);

        calls.clear();
        tokens.clear();
        assertThatThrownBy(() -> chain("a", "b").stream(tokens::add, (m, onToken) -> {
            calls.add(m);
            onToken.accept("par");
            throw CallFailure.transientFailure("cut mid-way", null);
        })).isInstanceOf(RagBackendException.class).hasMessageContaining("cut mid-way");
        assertThat(calls).as("neither retried nor sent to the fallback after a token").containsExactly("a");
        assertThat(tokens).containsExactly("par");
    }
}
