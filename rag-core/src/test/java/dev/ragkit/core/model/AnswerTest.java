package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerTest {

    private static Citation citation(int n) {
        return new Citation(n, "doc#" + n, "doc", "Doc", "snippet " + n, 0.5);
    }

    private static Answer answer(List<Citation> citations, List<StepTiming> timings, List<Answer.Fallback> fallbacks,
                                 List<String> reasons) {
        return new Answer("q?", "a [1]", Answer.Kind.GENERATED, citations, new TokenUsage(3, 4), timings, "trace",
                "ollama:llama3", fallbacks, reasons);
    }

    @Test
    void listsAreCopiedAndUnmodifiable() {
        List<Citation> citations = new ArrayList<>(List.of(citation(1)));
        List<StepTiming> timings = new ArrayList<>(List.of(new StepTiming("rag.embed", Duration.ofMillis(5))));
        List<Answer.Fallback> fallbacks = new ArrayList<>(List.of(new Answer.Fallback("openai", "timeout")));
        List<String> reasons = new ArrayList<>(List.of("pii"));
        Answer a = answer(citations, timings, fallbacks, reasons);
        citations.add(citation(2));
        timings.clear();
        fallbacks.clear();
        reasons.add("more");
        assertThat(a.citations()).containsExactly(citation(1));
        assertThat(a.timings()).hasSize(1);
        assertThat(a.fallbacks()).containsExactly(new Answer.Fallback("openai", "timeout"));
        assertThat(a.guardReasons()).containsExactly("pii");
        assertThatThrownBy(() -> a.citations().add(citation(3))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.timings().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.fallbacks().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.guardReasons().remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requiredFieldsAndNullElementsAreRejected() {
        assertThatThrownBy(() -> new Answer(null, "t", Answer.Kind.EXTRACTIVE, List.of(), TokenUsage.NONE, List.of(), "x",
                "extractive", List.of(), List.of())).isInstanceOf(NullPointerException.class).hasMessageContaining("question");
        assertThatThrownBy(() -> new Answer("q", "t", null, List.of(), TokenUsage.NONE, List.of(), "x",
                "extractive", List.of(), List.of())).isInstanceOf(NullPointerException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> answer(Arrays.asList(citation(1), null), List.of(), List.of(), List.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Answer.Fallback(null, "r")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void timingSumsRepeatedSteps() {
        Answer a = answer(List.of(), List.of(new StepTiming("rag.embed", Duration.ofMillis(5)),
                new StepTiming("rag.retrieval", Duration.ofMillis(7)), new StepTiming("rag.embed", Duration.ofMillis(2))),
                List.of(), List.of());
        assertThat(a.timing("rag.embed")).contains(Duration.ofMillis(7));
        assertThat(a.timing("rag.retrieval")).contains(Duration.ofMillis(7));
        assertThat(a.timing("rag.generate")).isEqualTo(Optional.empty());
    }

    @Test
    void citationNumbersStartAtOne() {
        assertThat(citation(1).number()).isEqualTo(1);
        assertThatThrownBy(() -> new Citation(0, "a#0", "a", "A", "s", 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new Citation(1, null, "a", "A", "s", 0.1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("chunkId");
        assertThat(citation(2)).isEqualTo(citation(2));
    }

    @Test
    void tokenUsageAddsUpAndRejectsNegatives() {
        assertThat(new TokenUsage(1, 2).plus(new TokenUsage(3, 4))).isEqualTo(new TokenUsage(4, 6));
        assertThat(new TokenUsage(1, 2).totalTokens()).isEqualTo(3);
        assertThat(TokenUsage.NONE.totalTokens()).isZero();
        assertThatThrownBy(() -> new TokenUsage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scanPageCopiesItsChunks() {
        List<Chunk> chunks = new ArrayList<>(List.of(Chunk.of("a", 0, "t", Map.of())));
        ScanPage page = new ScanPage(chunks, null);
        chunks.clear();
        assertThat(page.chunks()).hasSize(1);
        assertThat(page.nextCursor()).isEmpty();
        assertThatThrownBy(() -> page.chunks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
