package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LightStemmerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "documents, document",
        "requetes, requete",
        "queries, query",
        "journaux, journal",
        "chevaux, cheval",
        "bureaux, bureau",
        "chapeaux, chapeau",
        "tableaux, tableau",
        "chats, chat",
        "class, class",
        "virus, virus",
        "analysis, analysis",
        "bus, bus",
        "ies, ies",
        "pies, pie",
        "document, document",
        "abc1, abc1",
        "mp3s, mp3",
    })
    void stems(String token, String stem) {
        assertThat(LightStemmer.stem(token)).isEqualTo(stem);
    }

    @Test
    void singularAndPluralMeetOnOneTerm() {
        for (String[] pair : new String[][] {{"bureau", "bureaux"}, {"journal", "journaux"}, {"index", "indexs"},
                {"category", "categories"}, {"requete", "requetes"}}) {
            assertThat(LightStemmer.stem(pair[1])).as("%s / %s", pair[0], pair[1]).isEqualTo(LightStemmer.stem(pair[0]));
        }
    }

    @Test
    void shortTokensAreUnchanged() {
        assertThat(LightStemmer.stem("les")).isEqualTo("les");
        assertThat(LightStemmer.stem("as")).isEqualTo("as");
        assertThat(LightStemmer.stem("")).isEmpty();
    }
}
