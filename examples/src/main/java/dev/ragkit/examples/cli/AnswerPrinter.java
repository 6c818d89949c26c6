package dev.ragkit.examples.cli;

import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.StepTiming;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints an answer for a person: the text with its {@code [n]} markers, the numbered sources, who
 * answered (and which models failed before, with why), and optionally the per-step timings.
 *
 * <pre>
 * Incremental ingestion compares content hashes [1]. ...
 *
 * Sources:
 *   [1] Incremental ingestion (en/ingestion.md, chunk en/ingestion.md#1, score 0.94)
 *
 * Answered by: extractive (EXTRACTIVE: sentences quoted from the sources; no language model is configured)
 *   fell back from ollama: connection refused
 * Timings: rag.embed 12.1 ms, rag.retrieval 3.4 ms, rag.generate 0.6 ms; total 16.0 ms
 * </pre>
 */
final class AnswerPrinter {
    private AnswerPrinter() {
    }

    /**
     * @param textAlreadyPrinted the text was streamed token by token, so only what follows it is printed
     * @param verbose also print per-step timings, token usage and the trace id
     * @param wallTime how long the whole question took as the caller measured it
     */
    static void print(Answer answer, PrintStream out, boolean textAlreadyPrinted, boolean verbose, Duration wallTime) {
        if (!textAlreadyPrinted) {
            out.println(answer.text().strip());
        } else {
            out.println();
        }
        if (!answer.citations().isEmpty()) {
            out.println();
            out.println("Sources:");
            for (Citation c : answer.citations()) {
                out.println("  " + citationLine(c));
            }
        }
        out.println();
        out.println("Answered by: " + answer.answeredBy() + " (" + provenance(answer) + ")");
        for (Answer.Fallback f : answer.fallbacks()) {
            out.println("  " + fallbackLine(f));
        }
        for (String reason : answer.guardReasons()) {
            out.println("  guard: " + reason);
        }
        if (verbose) {
            out.println(timingsLine(answer, wallTime));
            if (answer.kind() == Answer.Kind.GENERATED) {
                out.println("Tokens: " + answer.usage());
            }
            out.println("Trace id: " + answer.traceId());
        }
    }

    /** {@code [1] Incremental ingestion (en/ingestion.md, chunk en/ingestion.md#1, score 0.94)}. */
    static String citationLine(Citation c) {
        return String.format(Locale.ROOT, "[%d] %s (%s, chunk %s, score %.2f)", c.number(), c.title(), c.documentId(),
                c.chunkId(), c.score());
    }

    /** {@code fell back from ollama:llama3.1:8b: connection refused}. */
    static String fallbackLine(Answer.Fallback f) {
        return "fell back from " + f.from() + ": " + f.reason();
    }

    /** {@code Timings: rag.embed 12.1 ms, rag.retrieval 3.4 ms, rag.generate 0.6 ms; total 16.0 ms}. */
    static String timingsLine(Answer answer, Duration wallTime) {
        StringBuilder line = new StringBuilder("Timings:");
        String separator = " ";
        for (StepTiming t : answer.timings()) {
            line.append(separator).append(String.format(Locale.ROOT, "%s %.1f ms", t.step(), millis(t.duration())));
            separator = ", ";
        }
        line.append(String.format(Locale.ROOT, "; total %.1f ms", millis(wallTime)));
        return line.toString();
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    /** The kind of answer and, for the kinds that need it, what that means. */
    static String provenance(Answer answer) {
        return switch (answer.kind()) {
            case GENERATED -> answer.fallbacks().isEmpty() ? "GENERATED"
                    : "GENERATED after " + answer.fallbacks().size() + " fallback(s)";
            case EXTRACTIVE -> answer.fallbacks().isEmpty()
                    ? "EXTRACTIVE: sentences quoted from the sources; no language model is configured,"
                            + " set RAG_LLM to generate answers"
                    : "EXTRACTIVE: every language model failed, so the answer quotes the sources instead";
            case NO_CONTEXT -> "NO_CONTEXT: nothing relevant was found in the index";
            case BLOCKED -> "BLOCKED by a guard";
        };
    }
}
