package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToxicityDetectorTest {
    private final ToxicityDetector detector = ToxicityDetector.standard();

    @ParameterizedTest
    @ValueSource(strings = {
        "You are a pathetic idiot, shut up and go away.",
        "What a fucking moron, nobody cares about your stupid edits.",
        "T'es qu'un connard, ferme ta gueule.",
        "Espèce d'abruti, tu es vraiment débile.",
    })
    void toxicFrenchAndEnglish(String text) {
        assertThat(detector.score(text).score()).as(text).isGreaterThanOrEqualTo(detector.threshold());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Thanks for fixing the references in the history section.",
        "I moved the paragraph about the treaty to the background section.",
        "Merci pour la correction des références dans la section histoire.",
        "J'ai déplacé le paragraphe sur le traité dans la section contexte.",
    })
    void civilFrenchAndEnglish(String text) {
        assertThat(detector.score(text).score()).as(text).isLessThan(detector.threshold());
    }
}
