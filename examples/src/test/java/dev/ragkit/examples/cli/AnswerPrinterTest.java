package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.StepTiming;
import dev.ragkit.core.model.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerPrinterTest {
    private static String print(Answer answer, boolean verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AnswerPrinter.print(answer, new PrintStream(bytes, true, StandardCharsets.UTF_8), false, verbose,
                Duration.ofMillis(20));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final List<Citation> CITATIONS = List.of(
            new Citation(1, "en/ingestion.md#0", "en/ingestion.md", "Incremental ingestion", "Hashes [1].", 0.91),
            new Citation(2, "fr/filtres.md#1", "fr/filtres.md", "Filtres", "Filtres [2].", 0.5));

    @Test
    void extractiveAnswerAfterAFailedModelShowsTheSourcesAndWhyItFellBack() {
        Answer answer = new Answer("q", "Chunks are compared by hash [1]. Filters apply [2].", Answer.Kind.EXTRACTIVE,
                CITATIONS, TokenUsage.NONE, List.of(new StepTiming("rag.embed", Duration.ofMillis(3)),
                        new StepTiming("rag.retrieval", Duration.ofMillis(2))), "trace-1", "extractive",
                List.of(new Answer.Fallback("ollama", "connection refused")), List.of());
        String text = print(answer, true);
        assertThat(text).startsWith("Chunks are compared by hash [1]. Filters apply [2].\n\nSources:\n")
                .contains("  [1] Incremental ingestion (en/ingestion.md, chunk en/ingestion.md#0, score 0.91)\n")
                .contains("  [2] Filtres (fr/filtres.md, chunk fr/filtres.md#1, score 0.50)\n")
                .contains("Answered by: extractive (EXTRACTIVE: every language model failed")
                .contains("\n  fell back from ollama: connection refused\n")
                .contains("Timings: rag.embed 3.0 ms, rag.retrieval 2.0 ms; total 20.0 ms")
                .contains("Trace id: trace-1");
    }

    @Test
    void generatedAnswerNamesTheModelAndHidesTimingsUnlessVerbose() {
        Answer answer = new Answer("q", "Generated [1].", Answer.Kind.GENERATED, CITATIONS.subList(0, 1),
                TokenUsage.NONE, List.of(), "t", "hf:some-model", List.of(), List.of());
        String text = print(answer, false);
        assertThat(text).contains("Answered by: hf:some-model (GENERATED)").doesNotContain("Timings").doesNotContain("fell back");
    }

    @Test
    void blockedAnswerListsTheGuardReasons() {
        Answer answer = new Answer("q", "The question was blocked.", Answer.Kind.BLOCKED, List.of(), TokenUsage.NONE,
                List.of(), "t", "guard", List.of(), List.of("injection: ignore previous instructions"));
        assertThat(print(answer, false)).doesNotContain("Sources:").contains("BLOCKED by a guard")
                .contains("  guard: injection: ignore previous instructions");
    }
}
