package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextAnalyzerTest {
    private final TextAnalyzer frEn = TextAnalyzer.frenchEnglish();

    @Test
    void caseAndAccentFolding() {
        assertThat(frEn.analyze("Élève")).containsExactly("eleve");
        assertThat(frEn.analyze("eleve")).containsExactly("eleve");
        assertThat(frEn.analyze("ÉLÈVE")).isEqualTo(frEn.analyze("élève"));
        assertThat(frEn.analyze("Noël à Zürich, naïve façade")).containsExactly("noel", "zurich", "naive", "facade");
        assertThat(TextAnalyzer.fold("Ça Déjà ÀÉÈÊËÎÏÔÙÛÜŸÇ")).isEqualTo("ca deja aeeeeiiouuuyc");
    }

    @Test
    void ligaturesAndCompatibilityForms() {
        assertThat(TextAnalyzer.fold("Œuvre cœur Æther ex æquo straße")).isEqualTo("oeuvre coeur aether ex aequo strasse");
        assertThat(frEn.analyze("cœur")).isEqualTo(frEn.analyze("coeur"));
        assertThat(frEn.analyze("Œuvre")).containsExactly("oeuvre");
        // U+FB01 LATIN SMALL LIGATURE FI and full-width letters fold through NFKD.
        assertThat(frEn.analyze("\uFB01nal ＲＡＧ")).containsExactly("final", "rag");
    }

    @Test
    void frenchElisionsFallAway() {
        assertThat(frEn.analyze("l'élève")).containsExactly("eleve");
        assertThat(frEn.analyze("L’Élève")).containsExactly("eleve");
        assertThat(frEn.analyze("d'accord")).containsExactly("accord");
        assertThat(frEn.analyze("qu'il")).isEmpty();
        assertThat(frEn.analyze("j'aime l'index qu'on construit")).containsExactly("aime", "index", "construit");
        assertThat(frEn.analyze("s'il n'y a pas d'index")).containsExactly("index");
    }

    @Test
    void stopWordsOfBothLanguages() {
        assertThat(frEn.analyze("The quick brown fox is over the lazy dog"))
                .containsExactly("quick", "brown", "fox", "lazy", "dog");
        assertThat(frEn.analyze("Le chat est sur la table")).containsExactly("chat", "table");
        // Folding happens before the stop-word lookup: à, été, où are stop words once unaccented.
        assertThat(frEn.analyze("Il a été là où elle était")).isEmpty();
        assertThat(frEn.analyze("THE AND OF")).isEmpty();
    }

    @Test
    void lightStemmingOfPlurals() {
        assertThat(frEn.analyze("documents document")).containsExactly("document", "document");
        assertThat(frEn.analyze("requêtes")).containsExactly("requete");
        assertThat(frEn.analyze("queries query")).containsExactly("query", "query");
        assertThat(frEn.analyze("journaux journal")).containsExactly("journal", "journal");
        assertThat(frEn.analyze("Élèves élève")).containsExactly("eleve", "eleve");
    }

    @Test
    void splitsOnAnythingButLettersAndDigits() {
        assertThat(frEn.analyze("COVID-19, version 3.5 (beta)")).containsExactly("covid", "19", "version", "3", "5", "beta");
        assertThat(frEn.analyze("")).isEmpty();
        assertThat(frEn.analyze("  ... --- !!! ")).isEmpty();
        assertThat(frEn.analyze("repeat repeat")).containsExactly("repeat", "repeat");
    }

    @Test
    void englishAnalyzerUsesPorterAndOnlyEnglishStopWords() {
        TextAnalyzer en = TextAnalyzer.english();
        assertThat(en.analyze("The relational databases are running")).containsExactly("relat", "databas", "run");
        assertThat(en.analyze("le chat")).containsExactly("le", "chat");
    }

    @Test
    void frenchAnalyzerKeepsEnglishStopWords() {
        TextAnalyzer fr = TextAnalyzer.french();
        assertThat(fr.analyze("the cat et le chat")).containsExactly("the", "cat", "chat");
    }

    @Test
    void frenchAnalyzerDropsQuestionFramesAndStems() {
        TextAnalyzer fr = TextAnalyzer.french();
        // "nom", "année" and the question words frame the question; the topic words remain, stemmed
        assertThat(fr.analyze("Quel est le nom des fondateurs de l'entreprise ?")).containsExactly("fondateur", "entrepris");
        assertThat(fr.analyze("En quelle année les constructions ont-elles commencé ?"))
                .containsExactly("construct", "commenc");
        assertThat(fr.analyze("Comment s'appelle la chanteuse ?")).containsExactly("chant");
        // the mixed analyzer keeps "comment" and "date", which are English words too
        assertThat(frEn.analyze("comment date")).containsExactly("comment", "date");
    }

    @Test
    void customStopWordsAndStemmer() {
        TextAnalyzer custom = TextAnalyzer.of(Set.of("foo"), t -> t.length() > 3 ? t.substring(0, 3) : t);
        assertThat(custom.analyze("Foo Barbaz QUUX ab")).isEqualTo(List.of("bar", "quu", "ab"));
        TextAnalyzer dropping = TextAnalyzer.of(Set.of(), t -> t.startsWith("x") ? "" : t);
        assertThat(dropping.analyze("xylophone piano")).containsExactly("piano");
    }

    @Test
    void autoReadsEachTextInItsOwnLanguage() {
        TextAnalyzer auto = TextAnalyzer.auto();
        String english = "The relational databases are running";
        String french = "Quel est le nom des fondateurs de l'entreprise ?";
        String neither = "Landeskrone 1575 databases";
        assertThat(auto.languageOf(english)).contains("en");
        assertThat(auto.languageOf(french)).contains("fr");
        assertThat(auto.languageOf(neither)).isEmpty();
        assertThat(auto.languageOf("Wer hat das Haus gebaut und wann")).as("German is not told apart").isEmpty();
        assertThat(auto.analyze(english)).isEqualTo(TextAnalyzer.english().analyze(english));
        assertThat(auto.analyze(french)).isEqualTo(TextAnalyzer.french().analyze(french));
        assertThat(auto.analyze(neither)).isEqualTo(frEn.analyze(neither));
        // read as a given language, as an index does for a query whose own language cannot be told
        assertThat(auto.analyze(neither, "en")).containsExactly("landeskron", "1575", "databas");
        assertThat(auto.analyze(neither, "de")).isEqualTo(frEn.analyze(neither));
        assertThat(auto.readsEachLanguage()).isTrue();
        // single-language analyzers read every text alike and tell no language
        assertThat(TextAnalyzer.english().languageOf(french)).isEmpty();
        assertThat(TextAnalyzer.english().analyze(french, "fr")).isEqualTo(TextAnalyzer.english().analyze(french));
        assertThat(frEn.readsEachLanguage()).isFalse();
    }

    @Test
    void aQueryReadForDocumentsOfAnotherLanguageDropsItsOwnStopWordsToo() {
        TextAnalyzer auto = TextAnalyzer.auto();
        String question = "Quel est le nom de la base de données ?";
        // for French documents: read as French
        assertThat(auto.analyzeQuery(question, "fr", "fr")).isEqualTo(TextAnalyzer.french().analyze(question));
        // for English documents: Porter, without "le", "de", "la" nor the question frame "nom"
        assertThat(auto.analyzeQuery(question, "fr", "en")).containsExactly("base", "donne");
        assertThat(TextAnalyzer.english().analyze(question)).contains("le", "de", "la", "nom");
        // a query whose language was not told keeps the stop words of the documents' language only
        assertThat(auto.analyzeQuery("IL-6 et al", null, "en")).containsExactly("il", "6", "et", "al");
        // for documents whose language was not told: the fallback, here also without French question frames
        assertThat(auto.analyzeQuery(question, "fr", null)).containsExactly("base", "donnee");
        assertThat(frEn.analyzeQuery(question, "fr", "en")).isEqualTo(frEn.analyze(question));
    }

    @Test
    void analyzersByName() {
        for (String name : TextAnalyzer.NAMES) {
            assertThat(TextAnalyzer.named(name).name()).isEqualTo(name);
        }
        assertThat(TextAnalyzer.of(Set.of(), t -> t).name()).isEqualTo("custom");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextAnalyzer.named("porter"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("analyzer was 'porter' but it must be one of [auto, french-english, english, french]");
    }
}
