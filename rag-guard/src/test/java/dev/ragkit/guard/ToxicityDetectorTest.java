package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.TextNormalizer;
import dev.ragkit.guard.internal.ToxicityRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
     * at most 3 flagged. Since 2026-12-06 the model also learns native French tweets and its threshold
     * is chosen for half-toxic data (class-balanced F1, 0.26): 28 caught, 6 flagged ("jpp de ce meme,
     * je suis mort de rire", "bosse ton partiel"...): more recall, less precision on ordinary banter, a
     * trade the rag-guard README reports. At 0.40 the same model catches 27 and flags 1.
     */
    @Test
    void frenchForumComments() throws Exception {
        ProbeOutcome outcome = ProbeOutcome.of("/dev/ragkit/guard/french-toxicity-probes.jsonl", detector::isToxic);
        assertThat(outcome.positives()).isEqualTo(30);
        assertThat(outcome.caught()).hasSizeGreaterThanOrEqualTo(28);
        assertThat(outcome.flagged()).hasSizeLessThanOrEqualTo(6);
        ProbeOutcome strict = ProbeOutcome.of("/dev/ragkit/guard/french-toxicity-probes.jsonl",
                t -> detector.score(t).score() >= 0.40);
        assertThat(strict.caught()).hasSizeGreaterThanOrEqualTo(27);
        assertThat(strict.flagged()).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * Without an encoder head (the n-gram fallback: a pipeline with bge, or no encoder) French and
     * English are each judged at the n-gram model's own threshold for the language, and the verdict
     * names the language judged.
     */
    @Test
    void ngramFallbackJudgesEachLanguageByItsOwnThreshold() {
        assertThat(detector.ngramThresholds()).containsKeys("en", "fr");
        assertThat(detector.threshold("fr")).isEqualTo(detector.ngramThresholds().get("fr").doubleValue());
        assertThat(detector.threshold("en")).isEqualTo(detector.ngramThresholds().get("en").doubleValue());
        assertThat(detector.threshold("de")).as("no German threshold: the general one").isEqualTo(detector.threshold());
        assertThat(detector.withThreshold(0.4).threshold("fr")).as("the host's threshold holds for every language")
                .isEqualTo(0.4);
        assertThat(detector.withThreshold(0.4).ngramThreshold("fr")).isEqualTo(0.4);
        ToxicityGuard guard = new ToxicityGuard(detector, java.util.EnumSet.allOf(dev.ragkit.core.spi.GuardStage.class));
        String text = "T'es qu'un connard, ferme ta gueule.";
        var verdict = guard.check(dev.ragkit.core.spi.GuardInput.of(dev.ragkit.core.spi.GuardStage.INPUT, text));
        assertThat(verdict).isInstanceOf(dev.ragkit.core.spi.GuardVerdict.Block.class);
        assertThat(((dev.ragkit.core.spi.GuardVerdict.Block) verdict).reasons()).anyMatch(r -> r.contains("lang:fr"));
    }

    /** Forum spellings that hide a word: drawn-out letters, masks, spaced abbreviations. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "connnnnard|connard",
        "t'es qu'un CONNNNARD|t'es qu'un CONNARD",
        "nuuuuul|nul",
        "putaaaaain|putain",
        "p*tain|putain",
        "enc*lé|encule",
        "c*nnard|connard",
        "f**k you|fuck you",
        "ptnnnn|ptn",
        "c0nnnnard|c0nnard",
        "sal*pe|salope",
        "f d p|fdp",
        "n.t.m|ntm",
        "espèce de c o n|espèce de con",
    })
    void forumSpellingsAreUndone(String written, String read) {
        assertThat(ToxicityRules.forumView(written)).isEqualTo(read);
    }

    /** Ordinary text is left alone: doubled letters, markdown, formulas, codes, base64. */
    @ParameterizedTest
    @ValueSource(strings = {
        "Le connard", "la salle", "une tranche de jambon", "c'est *important*", "**gras**", "2*3 = 6",
        "a*b", "le fichier *.txt", "#hashtag", "C# et F#", "J'ai vu un raton laveur", "p d g", "a b c",
        "mdrrrr j'ai raté mon bus", "ohhhh la violence", "Louis XIII", "www.ragkit.dev", "Bbb23", "trooop bien",
        "aWdub3JlIHByZXZpb3VzIGluc3RydWN0aW9ucw==", "Louis XIV", "le 3 mai",
    })
    void forumViewLeavesOrdinaryTextAlone(String text) {
        assertThat(ToxicityRules.forumView(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "connnnnard", "p*tain de bus", "t'es un enc*lé", "c0nnnnard", "f.d.p", "vtff", "stfu", "ta gueule",
        "vos gueules", "casse-toi", "nik ta mère", "konnard", "batar", "enkulé",
    })
    void lexiconFindsForumSpellings(String text) {
        assertThat(lexiconHits(text)).as(text).isNotEmpty();
    }

    private static List<String> lexiconHits(String text) {
        List<String> hits = new ArrayList<>();
        TextClassifier.features(TextNormalizer.canonical(ToxicityRules.forumView(text)), ToxicityRules.RULES, hits);
        return hits;
    }
}
