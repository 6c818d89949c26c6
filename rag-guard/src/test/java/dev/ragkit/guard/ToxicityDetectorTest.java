package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.TextNormalizer;
import dev.ragkit.guard.internal.ToxicityRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    /**
     * Ordinary short French questions, the kind a French assistant receives: before the lexicon
     * factor, the model alone flagged one in eight of PIAF's questions. (Still flagged: "Qui est
     * Edward Dickinson ?", 0.42: the name's character n-grams carry the weight of "dick".)
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "Qui est mort en 1815 ?",
        "Où se trouve la Mongolie ?",
        "Pourquoi le train a-t-il du retard ?",
        "Qui a tué le roi ?",
        "Quel est le nom du père de Napoléon ?",
        "Comment meurt le héros à la fin du livre ?",
        "Quelle ambiance se dégage de ce tableau ?",
    })
    void ordinaryFrenchQuestionsAreNotToxic(String text) {
        GuardScore score = detector.score(text);
        assertThat(score.score()).as(text).isLessThan(detector.threshold());
        assertThat(score.signals()).as(text).contains("model-only", "lang:fr", "ngram-only")
                .noneMatch(s -> s.startsWith("rule:"));
    }

    /** Lexicon words are whole words: ordinary words that share their letters do not count. */
    @ParameterizedTest
    @ValueSource(strings = {
        "Edward Dickinson Baker", "Albus Dumbledore", "A quoi sont connectés les mycéliums ?",
        "Le train a du retard", "la Mongolie", "Quelle ambiance se dégage ?", "Il n'est nulle part",
        "viande de porc", "patients who die in hospital", "dietary fat intake", "s'attarder sur un sujet",
        "a cocktail in the cockpit", "GG, match de fou hier soir", "c'est fou", "un raton laveur",
        "le Rio Negro", "Les Guignols de l'info", "la pédale de frein", "une pédicure", "le pédalo",
        "les rats sont des animaux", "Les femmes sont sous-représentées au Parlement",
        "la salle des fêtes", "du linge sale", "la race du chien", "le chocolat noir",
        "Pourriez-vous m'aider ?", "Nous pourrions partir demain", "la collecte des ordures ménagères",
    })
    void lexiconIgnoresLookAlikes(String text) {
        assertThat(lexiconHits(text)).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "you dumb dick", "what a retarded jerk", "fat ass", "t'es vraiment con", "quelle connerie",
        "Dégage, sale porc !", "t'es nul", "espèce d'attardé", "go die in a fire",
        "ftg", "ptn de bouffon", "un pourri", "cette pourriture", "quelle ordure", "ces ordures", "je m'en fous", "quel enfoiré", "cette pétasse", "une raclure",
        "sale bougnoule", "les travelos", "un pédé", "sale arabe", "je vais te buter", "va te pendre",
        "faut tous les gazer", "ils devraient tous crever", "ces migrants c'est de la vermine",
    })
    void lexiconFindsInsults(String text) {
        assertThat(lexiconHits(text)).as(text).isNotEmpty();
    }

    /**
     * A slur, or a group of people called vermin, is toxic whatever the model makes of the words
     * around it (strong rules): the translated Jigsaw rows hold too few to learn their weight.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "Encore un pédé qui veut nous imposer sa propagande",
        "La tarlouze du premier rang a encore pleuré",
        "Ces bicots foutent le bordel partout",
        "les noirs sont moins intelligents, c'est génétique",
        "ces migrants c'est de la vermine, faut tous les renvoyer",
    })
    void slursAndDehumanisationAreToxic(String text) {
        assertThat(detector.score(text).score()).as(text).isGreaterThanOrEqualTo(ToxicityDetector.SLUR_FLOOR);
    }

    /**
     * Hand-written comments in the style of French forums (test resource: 30 toxic with slang,
     * slurs, threats; 30 ordinary, with slang and the look-alikes of lexicon words). Written before
     * the slang lexicon, which was then written with them in view: a smoke test, not an evaluation
     * (the native French comments of ToxiFrench are not in the development data). Before the slang
     * lexicon: 18 caught, 4 flagged; with it (model trained on Jigsaw only, threshold 0.41): 27+ caught,
     * at most 3 flagged. Since 2026-12-06 the model also learns native French tweets and its thresholds
     * are chosen for half-toxic data (class-balanced F1). One threshold for both languages (0.26): 28
     * caught, 6 flagged ("jpp de ce meme, je suis mort de rire", "bosse ton partiel"...). Since the
     * second round of 2026-12-06 the model file holds a threshold per language (French 0.18, English
     * 0.28, by the same cross-validation rule): 29 caught, 6 flagged. At 0.40 the same model catches
     * 27 and flags 1: more recall, less precision on ordinary banter, a trade the rag-guard README reports.
     */
    @Test
    void frenchForumComments() throws Exception {
        assertThat(detector.threshold("fr")).isEqualTo(0.18, org.assertj.core.data.Offset.offset(1e-6));
        ProbeOutcome outcome = ProbeOutcome.of("/dev/ragkit/guard/french-toxicity-probes.jsonl", detector::isToxic);
        assertThat(outcome.positives()).isEqualTo(30);
        assertThat(outcome.caught()).hasSizeGreaterThanOrEqualTo(29);
        assertThat(outcome.flagged()).hasSizeLessThanOrEqualTo(6);
        ProbeOutcome general = ProbeOutcome.of("/dev/ragkit/guard/french-toxicity-probes.jsonl",
                t -> detector.score(t).score() >= detector.threshold());
        assertThat(general.caught()).hasSizeGreaterThanOrEqualTo(28);
        assertThat(general.flagged()).hasSizeLessThanOrEqualTo(6);
        ProbeOutcome strict = ProbeOutcome.of("/dev/ragkit/guard/french-toxicity-probes.jsonl",
                t -> detector.score(t).score() >= 0.40);
        assertThat(strict.caught()).hasSizeGreaterThanOrEqualTo(27);
        assertThat(strict.flagged()).hasSizeLessThanOrEqualTo(1);
    }

    private static List<String> lexiconHits(String text) {
        List<String> hits = new ArrayList<>();
        TextClassifier.features(TextNormalizer.canonical(text), ToxicityRules.RULES, hits);
        return hits;
    }
}
