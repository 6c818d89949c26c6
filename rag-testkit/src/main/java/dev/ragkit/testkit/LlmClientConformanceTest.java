package dev.ragkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link LlmClient} must meet. An adapter's tests extend this class and implement
 * {@link #createClient()}; tests against a real server are usually named {@code *IT}:
 *
 * <pre>{@code
 * class OllamaLlmClientIT extends LlmClientConformanceTest {
 *     protected LlmClient createClient() {
 *         return OllamaLlmClient.builder().baseUrl(OllamaServer.url()).model("qwen2.5:0.5b").build();
 *     }
 * }
 * }</pre>
 *
 * <p>Checked: the id is non-blank ({@code provider:model}); blocking answers are non-blank and count
 * their prompt and completion tokens (above zero, unless {@link #reportsUsage()} says the client
 * does not report usage); streaming delivers tokens that concatenate to the returned text; blocking and
 * streaming give the same text (see {@link #deterministic()}); concurrent calls work. Requests are
 * short, at temperature 0, and ask for at most {@link #maxTokens()} tokens, so that the kit stays
 * quick against real models.
 * The client is created once per test class and closed afterwards; the lifecycle check creates and
 * closes one more.
 * Every failure starts with the contract it checks
 * ({@code Contract broken: LlmClientConformanceTest > <check> [<method>]}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ContractFailures.class)
public abstract class LlmClientConformanceTest {
    private static final long THREAD_TIMEOUT_SECONDS = 600;

    private LlmClient client;

    /**
     * Creates the client under test: once for the whole class, and once more for the lifecycle check,
     * which closes it, so each call must return a new instance.
     */
    protected abstract LlmClient createClient();

    /** The client under test, created on first use. */
    protected final LlmClient client() {
        if (client == null) {
            client = createClient();
            assertThat(client).as("createClient() result").isNotNull();
        }
        return client;
    }

    /** Upper bound on completion tokens for the kit's requests; raise it for models that need more. */
    protected int maxTokens() {
        return 32;
    }

    /**
     * Whether the client stays usable after {@link LlmClient#close()}, as its documentation must then
     * say (a client holding nothing to release); false by default, and then every call after close
     * must fail with an exception whose message says it is closed.
     */
    protected boolean usableAfterClose() {
        return false;
    }

    @AfterAll
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    @DisplayName("close is idempotent, and calls after close fail saying so unless documented as allowed")
    void closeIsIdempotentAndUseAfterCloseIsClear() {
        LlmClient fresh = createClient();
        assertThat(fresh).as("createClient() result for the lifecycle check").isNotNull().isNotSameAs(client);
        LlmRequest request = request(ChatMessage.user("Say hello."));
        fresh.close();
        assertThatCode(fresh::close).as("a second close() must do nothing").doesNotThrowAnyException();
        if (usableAfterClose()) {
            assertWellFormed(fresh.generate(request), "generate after close (usableAfterClose() is true)");
        } else {
            String hint = " (or override usableAfterClose() when the client documents that it stays usable)";
            assertThatThrownBy(() -> fresh.generate(request),
                    "generate after close() must fail saying the client is closed" + hint)
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> fresh.stream(request, token -> { }),
                    "stream after close() must fail saying the client is closed" + hint)
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("closed");
        }
    }

    private LlmRequest request(ChatMessage... messages) {
        return new LlmRequest(List.of(messages), OptionalInt.of(maxTokens()), OptionalDouble.of(0.0));
    }

    private void assertWellFormed(Generation generation, String what) {
        assertThat(generation).as("%s: generation", what).isNotNull();
        assertThat(generation.text()).as("%s: text", what).isNotBlank();
        assertThat(generation.model()).as("%s: model", what).isNotBlank();
        assertThat(generation.usage()).as("%s: usage", what).isNotNull();
        if (reportsUsage()) {
            // Every kit request has a non-empty prompt and gets a non-blank answer: both counts are positive.
            assertThat(generation.usage().promptTokens()).as("%s: prompt tokens (usage reported, see reportsUsage())",
                    what).isPositive();
            assertThat(generation.usage().completionTokens())
                    .as("%s: completion tokens (usage reported, see reportsUsage())", what).isPositive();
        } else {
            assertThat(generation.usage()).as("%s: usage of a client declaring reportsUsage() false", what)
                    .isEqualTo(TokenUsage.NONE);
        }
    }

    /**
     * Whether the client reports token usage. True by default: then every answer must count its
     * prompt and completion tokens (both above zero, since the kit's prompts and answers are never
     * empty). A client whose server does not report usage (for instance one configured not to ask for
     * it when streaming) returns it false, and the kit then checks that it says so with
     * {@link TokenUsage#NONE} rather than with made-up counts.
     */
    protected boolean reportsUsage() {
        return true;
    }

    /**
     * Whether the model answers a request the same way twice (temperature 0), so that blocking and
     * streaming answers to one request can be compared word for word. True by default; a real model
     * whose server does not make greedy decoding reproducible may turn it off.
     */
    protected boolean deterministic() {
        return true;
    }

    @Test
    @DisplayName("id is non-blank and has the form provider:model")
    void idHasProviderAndModel() {
        assertThat(client().id()).as("id").isNotBlank().matches("[a-z0-9]+(-[a-z0-9]+)*:\\S.*")
                .isEqualTo(client().id());
    }

    @Test
    @DisplayName("generate returns non-empty text, a model name and the tokens used")
    void generateReturnsText() {
        Generation generation = client().generate(request(ChatMessage.user("Reply with one word: hello.")));
        assertWellFormed(generation, "generate");
    }

    @Test
    @DisplayName("a request with a system and a user message works")
    void systemAndUserMessages() {
        Generation generation = client().generate(request(
                ChatMessage.system("You answer in one short sentence."),
                ChatMessage.user("What colour is the sky on a clear day?")));
        assertWellFormed(generation, "system + user");
    }

    @Test
    @DisplayName("stream delivers at least one token and the tokens add up to the returned text")
    void streamDeliversTokensThatAddUp() {
        List<String> tokens = java.util.Collections.synchronizedList(new ArrayList<>());
        Generation generation = client().stream(request(ChatMessage.user("Count from one to five.")), tokens::add);
        assertWellFormed(generation, "stream");
        assertThat(tokens).as("streamed tokens").isNotEmpty();
        assertThat(String.join("", tokens)).as("concatenated tokens").isEqualTo(generation.text());
    }

    @Test
    @DisplayName("blocking and streaming answers to the same request have the same text")
    void blockingAndStreamingAgree() {
        org.junit.jupiter.api.Assumptions.assumeTrue(deterministic(), "deterministic() is false for this client");
        LlmRequest request = request(ChatMessage.system("Answer in at most five words."),
                ChatMessage.user("Name the capital of France."));
        Generation blocking = client().generate(request);
        StringBuilder streamed = new StringBuilder();
        Generation streaming = client().stream(request, streamed::append);
        assertWellFormed(blocking, "generate");
        assertWellFormed(streaming, "stream");
        assertThat(streaming.text()).as("streamed text versus blocking text").isEqualTo(blocking.text());
        assertThat(streamed.toString()).as("concatenated tokens versus blocking text").isEqualTo(blocking.text());
    }

    @Test
    @DisplayName("4 threads generating at once all get well-formed answers")
    void concurrentGenerate() throws Exception {
        int threads = 4;
        LlmClient shared = client();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Generation>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String question = "Reply with the number " + (t + 1) + " and nothing else.";
                Callable<Generation> task = () -> {
                    start.await();
                    return shared.generate(request(ChatMessage.user(question)));
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                try {
                    assertWellFormed(futures.get(t).get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "thread " + t);
                } catch (ExecutionException e) {
                    throw new AssertionError("thread " + t + " failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
