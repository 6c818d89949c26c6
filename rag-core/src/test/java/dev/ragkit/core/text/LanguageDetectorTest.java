package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
    @Test
    void readsShortFrenchQuestions() {
        assertThat(LanguageDetector.detect("Quel est le nom du premier roi de France ?")).contains("fr");
        assertThat(LanguageDetector.detect("Combien de personnes vivent à Lyon")).contains("fr");
        assertThat(LanguageDetector.detect("Qu'a fait Napoléon en 1804 ?")).contains("fr");
        assertThat(LanguageDetector.detect("capitale du Canada")).contains("fr");
        // "que" and "la" are Spanish too: a French verb, an inversion or an é decides
        assertThat(LanguageDetector.detect("Que signifie UPU ?")).contains("fr");
        assertThat(LanguageDetector.detect("Le projet respecte-t-il le calendrier ?")).contains("fr");
        assertThat(LanguageDetector.detect("Que représente la place ?")).contains("fr");
        assertThat(LanguageDetector.detect("¿Qué representa la plaza?")).contains("es");
    }

    @Test
    void readsEnglishQuestionsAndClaims() {
        assertThat(LanguageDetector.detect("What is the height of the Eiffel Tower?")).contains("en");
        assertThat(LanguageDetector.detect("Vitamin D deficiency is associated with an increased risk of fractures"))
                .contains("en");
        assertThat(LanguageDetector.detect("John's car doesn't start")).isEmpty(); // no function word: no evidence
    }

    @Test
    void readsGermanSpanishAndItalian() {
        assertThat(LanguageDetector.detect("Wie hoch ist der Kölner Dom?")).contains("de");
        assertThat(LanguageDetector.detect("¿Cuál es la capital del país?")).contains("es");
        assertThat(LanguageDetector.detect("Qual è la capitale della Francia?")).contains("it");
    }

    @Test
    void saysNothingWithoutEvidenceOrOnATie() {
        assertThat(LanguageDetector.detect("")).isEmpty();
        assertThat(LanguageDetector.detect(null)).isEmpty();
        assertThat(LanguageDetector.detect("Marie Curie")).isEmpty();
        assertThat(LanguageDetector.detect("BRCA1 p53 2019")).isEmpty();
        assertThat(LanguageDetector.detect("the les")).isEmpty();
    }

    @Test
    void anEnglishPossessiveIsNotAFrenchElision() {
        assertThat(LanguageDetector.detect("the author's name")).contains("en");
        assertThat(LanguageDetector.detect("l'auteur")).contains("fr");
    }
}
