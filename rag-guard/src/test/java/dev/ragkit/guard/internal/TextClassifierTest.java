package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.guard.GuardScore;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextClassifierTest {
    /** No weights, bias 2: every text gets the model probability sigmoid(2) = 0.881. */
    private static final LinearModel FLAT = new LinearModel(TextClassifier.BITS, new float[1 << TextClassifier.BITS],
            2, 0.5f);
    private static final List<TextClassifier.Rule> RULES = List.of(TextClassifier.Rule.weak("rude", "\\bbad\\b", "bad"));

    @Test
    void withoutRuleFactorScalesOnlyTextsNoRuleFiresOn() {
        TextClassifier classifier = new TextClassifier(RULES, FLAT).withoutRuleFactor(0.5);
        double p = LinearModel.sigmoid(2);

        GuardScore plain = classifier.score("a perfectly ordinary sentence");
        assertThat(plain.score()).isCloseTo(p * 0.5, within(1e-6));
        assertThat(plain.signals()).containsExactly("model-only");

        GuardScore rude = classifier.score("that was bad");
        assertThat(rude.score()).isCloseTo(p, within(1e-6));
        assertThat(rude.signals()).containsExactly("rule:rude");
    }

    @Test
    void factorOneIsTheDefaultAndChangesNothing() {
        double p = LinearModel.sigmoid(2);
        assertThat(new TextClassifier(RULES, FLAT).score("ordinary").score()).isCloseTo(p, within(1e-6));
        assertThat(new TextClassifier(RULES, FLAT).withoutRuleFactor(1).score("ordinary").signals()).isEmpty();
    }

    @Test
    void factorOutsideZeroToOneIsRefused() {
        TextClassifier classifier = new TextClassifier(RULES, FLAT);
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> classifier.withoutRuleFactor(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(0, 1]");
        }
    }

    @Test
    void lengthClassesAndTheirFeature() {
        assertThat(TextClassifier.lengthClass("x".repeat(79))).isEqualTo("length:under-80");
        assertThat(TextClassifier.lengthClass("x".repeat(80))).isEqualTo("length:under-250");
        assertThat(TextClassifier.lengthClass("x".repeat(249))).isEqualTo("length:under-250");
        assertThat(TextClassifier.lengthClass("x".repeat(250))).isEqualTo("length:under-800");
        assertThat(TextClassifier.lengthClass("x".repeat(800))).isEqualTo("length:long");
        // The class is a feature of its own: same words, different length class, different vectors.
        FeatureHasher.Sparse shortText = TextClassifier.features("hello world", RULES, null);
        FeatureHasher.Sparse plainHash = new FeatureHasher(TextClassifier.BITS).vectorize("hello world", List.of());
        assertThat(shortText.indices().length).isGreaterThan(plainHash.indices().length);
    }
}
