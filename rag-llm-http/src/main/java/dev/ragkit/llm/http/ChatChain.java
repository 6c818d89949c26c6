package dev.ragkit.llm.http;

import dev.ragkit.core.spi.Generation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A chat client's primary model and optional fallback model, and the blocking and streaming calls
 * over them through a {@link ModelChain} ({@code chat} and {@code chat stream} in logs). The
 * adapter supplies one attempt against one model in its wire format. Thread-safe.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class ChatChain {
    /** One streaming attempt: hands each piece of text to {@code onToken} as it arrives. */
    @FunctionalInterface
    public interface StreamCall {
        /** Streams an answer from {@code model}; throws a classified failure instead of any other exception. */
        Generation run(String model, Consumer<String> onToken) throws CallFailure;
    }

    private final String backend;
    private final List<String> models;
    private final RetryPolicy policy;
    private final Logger log;

    /**
     * @param backend the name in exceptions and logs, e.g. {@code ollama}
     * @param model the primary model, already checked and stripped by the adapter
     * @param fallbackModel asked when the primary one is unknown or keeps failing; ignored when null,
     *     blank or the primary model again
     */
    public ChatChain(String backend, String model, String fallbackModel, RetryPolicy policy, Logger log) {
        this.backend = Objects.requireNonNull(backend, "backend");
        List<String> chain = new ArrayList<>();
        chain.add(Objects.requireNonNull(model, "model"));
        if (fallbackModel != null && !fallbackModel.isBlank() && !fallbackModel.strip().equals(model)) {
            chain.add(fallbackModel.strip());
        }
        this.models = List.copyOf(chain);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The primary model then the fallback model, if any. */
    public List<String> models() {
        return models;
    }

    /** Asks the models in turn until one answers, naming in the generation those given up on. */
    public Generation generate(ModelChain.Call<Generation> call) {
        return new ModelChain(backend, "chat", models, policy, log).generation(call, () -> false);
    }

    /**
     * Streams from the models in turn until one answers; once a piece of text has reached
     * {@code onToken}, a failure is thrown at once rather than retried (a retry would repeat text).
     */
    public Generation stream(Consumer<String> onToken, StreamCall call) {
        Objects.requireNonNull(onToken, "onToken");
        AtomicBoolean emitted = new AtomicBoolean();
        Consumer<String> tracking = piece -> {
            emitted.set(true);
            onToken.accept(piece);
        };
        return new ModelChain(backend, "chat stream", models, policy, log)
                .generation(m -> call.run(m, tracking), emitted::get);
    }
}
