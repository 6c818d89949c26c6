package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMetricsTest {
    @Test
    void normalisationFoldsCaseAccentsPunctuationArticlesAndSpaces() {
        assertThat(AnswerMetrics.normalize("  L’État, la   Révolution\u00a0française ! ")).isEqualTo("etat revolution francaise");
        assertThat(AnswerMetrics.normalize("The «Eiffel» Tower.")).isEqualTo("eiffel tower");
        assertThat(AnswerMetrics.normalize("un an")).isEqualTo("");
    }

    @Test
    void exactMatchComparesNormalisedFormsAgainstEveryGold() {
        assertThat(AnswerMetrics.exactMatch("la Tour Eiffel", List.of("Paris", "Tour  eiffel."))).isEqualTo(1);
        assertThat(AnswerMetrics.exactMatch("Tour Eiffel à Paris", List.of("Tour Eiffel"))).isEqualTo(0);
    }

    @Test
    void containmentNeedsWholeTokens() {
        assertThat(AnswerMetrics.containment("Elle mesure 330 mètres de haut.", List.of("330 mètres"))).isEqualTo(1);
        assertThat(AnswerMetrics.containment("En 1500 environ", List.of("50"))).isEqualTo(0);
        assertThat(AnswerMetrics.containment("Rien ici", List.of("ailleurs", "ici"))).isEqualTo(1);
    }

    @Test
    void f1CountsSharedTokensWithMultiplicity() {
        // prediction tokens [cat, sat, on, mat] ("the" dropped), gold [cat, on, mat]:
        // 3 shared, precision 3/4, recall 3/3, F1 = 2 * 0.75 * 1 / 1.75
        assertThat(AnswerMetrics.f1("The cat sat on the mat", List.of("cat on mat"))).isCloseTo(6.0 / 7, within(1e-12));
        // repeated token counted once per gold occurrence: prediction [x, x], gold [x] -> P 1/2, R 1, F1 2/3
        assertThat(AnswerMetrics.f1("x x", List.of("x"))).isCloseTo(2.0 / 3, within(1e-12));
        // best over golds
        assertThat(AnswerMetrics.f1("Paris", List.of("Lyon", "Paris"))).isEqualTo(1.0);
        assertThat(AnswerMetrics.f1("Lyon", List.of("Paris"))).isEqualTo(0.0);
        // both empty after normalisation: 1; one empty: 0
        assertThat(AnswerMetrics.f1("the", List.of("a"))).isEqualTo(1.0);
        assertThat(AnswerMetrics.f1("the", List.of("Paris"))).isEqualTo(0.0);
    }
}
