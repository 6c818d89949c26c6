package dev.ragkit.core.budget;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A test model that reports the usage a test chooses, can stop mid-stream until released, and can cut
 * its stream with a backend error. Thread-safe.
 */
final class MeteredLlm implements LlmClient {
    private final String id;
    private final String text;
    private final Function<LlmRequest, TokenUsage> usage;
    private final List<LlmRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger entered = new AtomicInteger();
    /** Pieces streamed before the stream waits for {@link #resume}; -1: never waits. */
    private volatile int pauseAfter = -1;
    private volatile boolean cutAtPause;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    /** Blocks generate() until opened, when set. */
    volatile CountDownLatch gate;

    MeteredLlm(String id, String text, Function<LlmRequest, TokenUsage> usage) {
        this.id = id;
        this.text = text;
        this.usage = usage;
    }

    MeteredLlm pauseAfter(int pieces) {
        this.pauseAfter = pieces;
        return this;
    }

    MeteredLlm cutAtPause() {
        this.cutAtPause = true;
        return this;
    }

    List<LlmRequest> requests() {
        return List.copyOf(requests);
    }

    static long promptChars(LlmRequest request) {
        return request.messages().stream().map(ChatMessage::content).mapToLong(String::length).sum();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Generation generate(LlmRequest request) {
        requests.add(request);
        entered.incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            await(g);
        }
        return new Generation(text, usage.apply(request), id.substring(id.indexOf(':') + 1));
    }

    @Override
    public Generation stream(LlmRequest request, Consumer<String> onToken) {
        requests.add(request);
        entered.incrementAndGet();
        String[] pieces = text.split("(?<= )");
        for (int i = 0; i < pieces.length; i++) {
            if (i == pauseAfter) {
                paused.countDown();
                await(resume);
                if (cutAtPause) {
                    throw RagBackendException.retriable(id, "the stream was cut", null);
                }
            }
            onToken.accept(pieces[i]);
        }
        return new Generation(text, usage.apply(request), id.substring(id.indexOf(':') + 1));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the model");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
