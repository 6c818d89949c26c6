package dev.ragkit.llm.http;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.spi.Generation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Runs one call against a primary model and, when that model cannot answer, against the fallback
 * model: retries what is transient (429, 5xx, timeouts, cut streams) with backoff, never retries an
 * authentication failure, skips straight to the fallback on an unknown model, and throws one
 * {@link RagBackendException} naming every model's failure when none answered.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class ModelChain {
    /** One attempt against one model. */
    @FunctionalInterface
    public interface Call<T> {
        /** Calls {@code model} once; throws a classified failure instead of any other exception. */
        T run(String model) throws CallFailure;
    }

    private final String backend;
    private final String operation;
    private final List<String> models;
    private final RetryPolicy policy;
    private final Logger log;

    /**
     * @param backend the name in exceptions, e.g. {@code ollama}
     * @param operation what is called, for logs, e.g. {@code chat}
     * @param models the primary model first, then the fallback models
     */
    public ModelChain(String backend, String operation, List<String> models, RetryPolicy policy, Logger log) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.models = List.copyOf(models);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.log = Objects.requireNonNull(log, "log");
        if (this.models.isEmpty()) {
            throw new IllegalArgumentException("at least one model is needed");
        }
    }

    /**
     * Runs {@code call} until a model answers.
     *
     * @param partialOutput true once the caller has already received part of an answer (streamed
     *     tokens): from then on a failure is thrown at once, since a retry would repeat text
     * @throws RagBackendException when no model answered; retriable when the last failure of some
     *     model was transient
     */
    public <T> T run(Call<T> call, java.util.function.BooleanSupplier partialOutput) {
        return run(call, partialOutput, new ArrayList<>());
    }

    /**
     * Runs a chat {@code call} until a model answers, as {@link #run(Call, java.util.function.BooleanSupplier)};
     * the generation names the models given up on before the one that answered
     * ({@link Generation#fallbacks()}).
     */
    public Generation generation(Call<Generation> call, java.util.function.BooleanSupplier partialOutput) {
        List<Answer.Fallback> skipped = new ArrayList<>();
        Generation g = run(call, partialOutput, skipped);
        return skipped.isEmpty() ? g : new Generation(g.text(), g.usage(), g.model(), skipped);
    }

    /**
     * Same as {@link #run(Call, java.util.function.BooleanSupplier)}, adding to {@code skipped} each
     * model given up on before the one that answered ({@code <backend>:<model>} and why), so the
     * answer can say it came from a fallback model.
     */
    public <T> T run(Call<T> call, java.util.function.BooleanSupplier partialOutput, List<Answer.Fallback> skipped) {
        List<String> failures = new ArrayList<>();
        boolean anyRetriable = false;
        CallFailure last = null;
        for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            String role = m == 0 ? "model" : "fallback model";
            for (int attempt = 1; ; attempt++) {
                try {
                    T result = call.run(model);
                    if (attempt > 1 || m > 0) {
                        log.info("{} {} answered by {} '{}' on attempt {}", backend, operation, role, model, attempt);
                    }
                    return result;
                } catch (CallFailure f) {
                    last = f;
                    int maxAttempts = policy.retries() + 1;
                    if (f.kind() == CallFailure.Kind.AUTHENTICATION) {
                        log.error("{} {} status={} model={}: {}; not retried", backend, operation, f.status(), model,
                                f.getMessage());
                        throw RagBackendException.permanent(backend, f.getMessage(), f);
                    }
                    if (partialOutput.getAsBoolean()) {
                        log.warn("{} {} status={} model={}: {}; not retried, part of the answer was already streamed",
                                backend, operation, f.status(), model, f.getMessage());
                        throw new RagBackendException(backend, f.retriable(), f.getMessage()
                                + " (after part of the answer had been streamed; not retried)", f);
                    }
                    boolean retry = f.retriable() && attempt < maxAttempts && !policy.tooLong(f.retryAfter());
                    if (!retry) {
                        log.warn("{} {} status={} model={} attempt {}/{}: {}; {}", backend, operation, f.status(),
                                model, attempt, maxAttempts, f.getMessage(),
                                m + 1 < models.size() ? "trying fallback model '" + models.get(m + 1) + "'"
                                        : "no fallback model left");
                        failures.add(role + " '" + model + "': " + f.getMessage()
                                + (f.retriable() ? " (after " + attempt + " attempt" + (attempt > 1 ? "s" : "") + ")" : ""));
                        anyRetriable |= f.retriable();
                        skipped.add(new Answer.Fallback(backend + ":" + model, f.getMessage()));
                        break;
                    }
                    Duration delay = policy.delayBefore(attempt, f.retryAfter());
                    log.warn("{} {} status={} model={} attempt {}/{}: {}; retrying in {} ms", backend, operation,
                            f.status(), model, attempt, maxAttempts, f.getMessage(), delay.toMillis());
                    try {
                        policy.sleeper().sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw RagBackendException.retriable(backend, operation + " interrupted while waiting to retry "
                                + "model '" + model + "'", e);
                    }
                }
            }
        }
        throw new RagBackendException(backend, anyRetriable, operation + " failed: " + String.join("; ", failures), last);
    }
}
