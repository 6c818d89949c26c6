package dev.ragkit.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline returns for a question.
 *
 * @param question the question as asked (before any input redaction)
 * @param text the answer; {@code [n]} markers refer to {@link #citations()}
 * @param kind how the answer was produced
 * @param citations the sources the answer cites, by number
 * @param usage tokens the language model used (zero for extractive answers)
 * @param timings duration of each step that ran, in order
 * @param traceId the OpenTelemetry trace id of this request, or a generated id when tracing is off
 * @param answeredBy {@code <llm provider>:<model>} that wrote the text, or {@code extractive}
 * @param fallbacks each model that failed before the one that answered, and why
 * @param guardReasons why a guard blocked or redacted something, empty when none did
 */
public record Answer(String question, String text, Kind kind, List<Citation> citations, TokenUsage usage,
                     List<StepTiming> timings, String traceId, String answeredBy, List<Fallback> fallbacks,
                     List<String> guardReasons) {

    /** How an answer was produced. */
    public enum Kind {
        /** A language model wrote it from the retrieved sources. */
        GENERATED,
        /** Composed from the best sentences of the retrieved sources; no language model involved. */
        EXTRACTIVE,
        /** Nothing relevant was retrieved, so there is nothing to answer from. */
        NO_CONTEXT,
        /** A guard blocked the question or the answer; {@link #guardReasons()} says why. */
        BLOCKED
    }

    /** A model that failed, and why the pipeline moved on to the next one. */
    public record Fallback(String from, String reason) {
        public Fallback {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Answer {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        citations = List.copyOf(citations);
        Objects.requireNonNull(usage, "usage");
        timings = List.copyOf(timings);
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(answeredBy, "answeredBy");
        fallbacks = List.copyOf(fallbacks);
        guardReasons = List.copyOf(guardReasons);
    }

    /** The duration of {@code step} (e.g. {@code rag.retrieval}), if it ran; summed when it ran more than once. */
    public Optional<Duration> timing(String step) {
        return timings.stream().filter(t -> t.step().equals(step)).map(StepTiming::duration).reduce(Duration::plus);
    }
}
