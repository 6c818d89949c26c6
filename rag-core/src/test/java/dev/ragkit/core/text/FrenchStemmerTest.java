package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrenchStemmerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "journaux, journal",
        "bureaux, bureau",
        "nationales, national",
        "nationale, national",
        "anciennes, ancien",
        "rapidement, rapid",
        "construction, construct",
        "constructions, construct",
        "construisait, construis",
        "gouvernement, gouvern",
        "gouvernements, gouvern",
        "historique, histor",
        "chanteuse, chant",
        "traversaient, travers",
        "fondateurs, fondateur",
        // short words keep their ending, but not a plural s: a stem has at least five letters
        "ville, ville",
        "porte, porte",
        "chats, chat",
        "mer, mer",
        "abc12, abc12",
    })
    void removesOneEnding(String token, String stem) {
        assertThat(FrenchStemmer.stem(token)).isEqualTo(stem);
    }

    @Test
    void oneEndingOnlySoSomeFormsStayApart() {
        // known limit of a one-suffix stemmer: the masculine loses "-ant", the feminine only its "e"
        assertThat(FrenchStemmer.stem("important")).isEqualTo("import");
        assertThat(FrenchStemmer.stem("importante")).isEqualTo("important");
    }

    @Test
    void aSingularAndItsPluralMeetWhateverTheirLength() {
        // before, a word of four or five letters kept its singular whole but lost the s of its plural,
        // and the "ee" of maree was taken for a doubled consonant: marees -> mare, maree -> maree
        for (String singular : List.of("film", "arme", "idee", "maree", "annee", "musee", "porte", "ville",
                "nation", "journal", "gouvernement", "positif", "premiere")) {
            assertThat(FrenchStemmer.stem(singular + "s")).as(singular).isEqualTo(FrenchStemmer.stem(singular));
        }
    }

    @Test
    void wordsWhoseSingularEndsInSKeepIt() {
        assertThat(FrenchStemmer.stem("anglais")).isEqualTo(FrenchStemmer.stem("anglaise"));
        assertThat(FrenchStemmer.stem("virus")).isEqualTo("virus");
    }

    @Test
    void inflectedFormsOfAWordMeet() {
        for (List<String> forms : List.of(List.of("construction", "constructions"),
                List.of("gouvernement", "gouvernements", "gouverner"),
                List.of("nationale", "nationales", "national"),
                List.of("positif", "positifs", "positive", "positives"),
                List.of("traversait", "traversaient", "traverser"))) {
            assertThat(forms.stream().map(FrenchStemmer::stem).distinct()).as(forms.toString()).hasSize(1);
        }
    }
}
