package dev.ragkit.core.internal;

import dev.ragkit.core.model.StepTiming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Times, counts and traces pipeline steps. Each step gets a Micrometer timer (when the host gave a
 * registry), an OpenTelemetry span (when it gave a tracer) and an entry in the request's
 * {@link Steps}, which becomes {@code Answer.timings()}. With neither, only the timings are kept.
 */
public final class Instrumentation {
    /** Instrumentation that records nothing but per-request timings. */
    public static final Instrumentation NOOP = new Instrumentation(null, null);

    private final MeterRegistry registry;
    private final Tracer tracer;

    public Instrumentation(MeterRegistry registry, Tracer tracer) {
        this.registry = registry;
        this.tracer = tracer != null ? tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Timings of one request, in the order the steps ran. Not thread-safe: one request, one thread. */
    public static final class Steps {
        private final List<StepTiming> timings = new ArrayList<>();
        private final java.util.function.Consumer<StepTiming> sink;

        public Steps() {
            this.sink = timings::add;
        }

        /** Steps that hand each timing to {@code sink} instead of keeping it. */
        public Steps(java.util.function.Consumer<StepTiming> sink) {
            this.sink = java.util.Objects.requireNonNull(sink, "sink");
        }

        public List<StepTiming> timings() {
            return List.copyOf(timings);
        }

        /** Records one timing. */
        public void record(StepTiming timing) {
            sink.accept(timing);
        }

        void add(String step, Duration duration) {
            record(new StepTiming(step, duration));
        }
    }

    /** What the timed body reports back: extra tags decided by its result. */
    @FunctionalInterface
    public interface Body<T> {
        T run(Span span);
    }

    /**
     * Runs {@code body} as step {@code timerName} (span {@code spanName}). The timer is tagged
     * {@code provider=tagValue} and {@code outcome=success|error}, the span carries
     * {@code tagKey=tagValue} (e.g. {@code store=faiss}). Exceptions propagate after being recorded.
     */
    public <T> T step(String timerName, String spanName, String tagKey, String tagValue, Steps steps, Body<T> body) {
        return step(timerName, spanName, tagKey, tagValue, java.util.Map.of(), steps, body);
    }

    /**
     * As {@link #step(String, String, String, String, Steps, Body)}, with {@code extraTags} on both the
     * timer and the span (e.g. {@code index.version=v3}); keep their values few.
     */
    public <T> T step(String timerName, String spanName, String tagKey, String tagValue,
                      java.util.Map<String, String> extraTags, Steps steps, Body<T> body) {
        io.opentelemetry.api.trace.SpanBuilder builder = tracer.spanBuilder(spanName).setAttribute(tagKey, tagValue);
        extraTags.forEach(builder::setAttribute);
        Span span = builder.startSpan();
        long start = System.nanoTime();
        String outcome = "success";
        try (Scope ignored = span.makeCurrent()) {
            return body.run(span);
        } catch (RuntimeException | Error e) {
            outcome = "error";
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            long nanos = System.nanoTime() - start;
            span.end();
            if (steps != null) {
                steps.add(timerName, Duration.ofNanos(nanos));
            }
            if (registry != null) {
                Timer.Builder timer = Timer.builder(timerName).tag("provider", tagValue).tag("outcome", outcome);
                extraTags.forEach(timer::tag);
                timer.register(registry).record(Duration.ofNanos(nanos));
            }
        }
    }

    /** Same as {@link #step} for a body that does not need its span. */
    public <T> T step(String timerName, String spanName, String tagKey, String tagValue, Steps steps,
                      java.util.function.Supplier<T> body) {
        return step(timerName, spanName, tagKey, tagValue, steps, (Body<T>) span -> body.get());
    }

    /** Records the best score of one retrieval ({@code rag.retrieval.score.max}). */
    public void maxScore(String store, String mode, double score) {
        maxScore(store, mode, java.util.Map.of(), score);
    }

    /** As {@link #maxScore(String, String, double)} with extra tags, e.g. {@code index.version}. */
    public void maxScore(String store, String mode, java.util.Map<String, String> extraTags, double score) {
        if (registry != null) {
            DistributionSummary.Builder summary = DistributionSummary.builder("rag.retrieval.score.max")
                    .tag("store", store).tag("mode", mode);
            extraTags.forEach(summary::tag);
            summary.register(registry).record(score);
        }
    }

    /**
     * Times one lifecycle step of a versioned index as timer {@code rag.index.<step>} (tags {@code index},
     * {@code outcome}) and span {@code rag.index.<step>}.
     */
    public <T> T indexStep(String step, String index, java.util.function.Supplier<T> body) {
        String name = "rag.index." + step;
        Span span = tracer.spanBuilder(name).setAttribute("index", index).startSpan();
        long start = System.nanoTime();
        String outcome = "success";
        try (Scope ignored = span.makeCurrent()) {
            return body.get();
        } catch (RuntimeException | Error e) {
            outcome = "error";
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
            if (registry != null) {
                Timer.builder(name).tag("index", index).tag("outcome", outcome).register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    /** The host's registry, or null when it gave none. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a move to the next model ({@code rag.fallback}) and records a {@code rag.fallback} span. */
    public void fallback(String from, String reason) {
        Span span = tracer.spanBuilder("rag.fallback").setAttribute("from", from).setAttribute("reason", reason)
                .startSpan();
        span.end();
        if (registry != null) {
            Counter.builder("rag.fallback").tag("from", from).tag("reason", reason).register(registry).increment();
        }
    }

    /** Counts tokens a model used ({@code rag.llm.tokens}, tags {@code llm} and {@code type}). */
    public void tokens(String llm, long prompt, long completion) {
        if (registry != null) {
            Counter.builder("rag.llm.tokens").tag("llm", llm).tag("type", "prompt").register(registry).increment(prompt);
            Counter.builder("rag.llm.tokens").tag("llm", llm).tag("type", "completion").register(registry)
                    .increment(completion);
        }
    }

    /** Counts guard verdicts ({@code rag.guard.verdicts}, tags {@code guard}, {@code stage}, {@code verdict}). */
    public void verdict(String guard, String stage, String verdict) {
        if (registry != null) {
            Counter.builder("rag.guard.verdicts").tag("guard", guard).tag("stage", stage).tag("verdict", verdict)
                    .register(registry).increment();
        }
    }

    /** Applies {@code f} inside a root span {@code name}; the span's trace id identifies the request. */
    public <T> T root(String name, Function<Span, T> f) {
        Span span = tracer.spanBuilder(name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return f.apply(span);
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }
}
