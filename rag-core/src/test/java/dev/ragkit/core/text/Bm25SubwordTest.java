package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class Bm25SubwordTest {
    /** Whitespace tokens as they are: no stemmer joins "apple" and "apples", only subwords can. */
    private static final TextAnalyzer PLAIN = TextAnalyzer.of(Set.of(), UnaryOperator.identity());
    private static final KeywordWeights SUBWORDS_ONLY = KeywordWeights.PLAIN_BM25.withSubword(0.75);

    private static Bm25Index index(TextAnalyzer analyzer, KeywordWeights weights, String... idsAndTexts) {
        Bm25Index index = new Bm25Index(analyzer, 0.9, 0.4, weights);
        for (int i = 0; i < idsAndTexts.length; i += 2) {
            index.put(idsAndTexts[i], idsAndTexts[i + 1]);
        }
        return index;
    }

    private static List<String> ids(List<Bm25Index.Hit> hits) {
        return hits.stream().map(Bm25Index.Hit::id).toList();
    }

    @Test
    void aTermIsFramedAndCutIntoFourGrams() {
        assertThat(Bm25Index.subwords("chat")).containsExactly("_cha", "chat", "hat_");
        assertThat(Bm25Index.subwords("il")).containsExactly("_il_");
        assertThat(Bm25Index.subwords("a")).containsExactly("_a_");
    }

    @Test
    void aMisspeltWordFindsItsTextThatWholeTermsMiss() {
        String[] texts = {"tower", "the eiffel tower stands in paris", "bridge", "a bridge over the seine river"};
        assertThat(index(PLAIN, KeywordWeights.PLAIN_BM25, texts).search("eifel", 10, id -> true)).isEmpty();
        assertThat(ids(index(PLAIN, SUBWORDS_ONLY, texts).search("eifel", 10, id -> true))).containsExactly("tower");
    }

    /**
     * Hand computation: "apple" is a whole term of "pie" only; "apples" shares "_app", "appl", "pple" with it.
     * "pie" has the best BM25 score {@code s} and the best subword score; "tart" has no BM25 score. So "pie"
     * scores {@code s + 0.75 · s} and "tart" {@code 0.75 · s · (its subword score / pie's)}, below it.
     */
    @Test
    void theBestSubwordScoreCountsTheWeightTimesTheBestWholeTermScore() {
        String[] texts = {"pie", "apple pie", "tart", "apples tart", "soup", "leek soup"};
        double s = index(PLAIN, KeywordWeights.PLAIN_BM25, texts).search("apple", 1, id -> true).get(0).score();
        List<Bm25Index.Hit> hits = index(PLAIN, SUBWORDS_ONLY, texts).search("apple", 10, id -> true);
        assertThat(ids(hits)).containsExactly("pie", "tart");
        assertThat(hits.get(0).score()).isCloseTo(1.75 * s, within(1e-9));
        assertThat(hits.get(1).score()).isGreaterThan(0).isLessThan(0.75 * s);
    }

    @Test
    void aWeightOfZeroIsWholeTermsOnly() {
        String[] texts = {"pie", "apple pie", "tart", "apples tart", "cake", "apple cake with apples"};
        Bm25Index plain = index(PLAIN, KeywordWeights.PLAIN_BM25, texts);
        assertThat(plain.search("apple", 10, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("pie", "cake");
    }

    @Test
    void aRemovedOrReplacedTextIsNotFoundByItsFormerSubwords() {
        Bm25Index index = index(PLAIN, SUBWORDS_ONLY, "tower", "eiffel tower", "bridge", "pont neuf");
        index.remove("tower");
        assertThat(index.search("eifel", 10, id -> true)).isEmpty();
        index.put("bridge", "eiffel bridge");
        assertThat(ids(index.search("eifel", 10, id -> true))).containsExactly("bridge");
        index.put("bridge", "pont neuf");
        assertThat(index.search("eifel", 10, id -> true)).isEmpty();
        index.clear();
        index.put("again", "eiffel");
        assertThat(ids(index.search("eifel", 10, id -> true))).containsExactly("again");
    }

    @Test
    void aMisspeltFrenchQuestionFindsItsPassageWithTheDefaults() {
        Bm25Index index = new Bm25Index(TextAnalyzer.auto());
        index.put("tour", "La tour Eiffel mesure 330 mètres de hauteur depuis l'ajout d'antennes.");
        index.put("arc", "L'arc de triomphe mesure 50 mètres de hauteur et domine la place de l'Étoile.");
        index.put("pont", "Le pont Neuf est le plus ancien pont de Paris encore debout.");
        assertThat(ids(index.search("Quelle est la hauteur de la tour Eifel ?", 3, id -> true))).startsWith("tour");
        assertThat(ids(index.search("Combien mesure l'Eifell ?", 3, id -> true))).startsWith("tour");
    }

    /**
     * With both bonuses a document can score above the reading's maximum attainable BM25 score; normalised
     * scores leave room for them instead of capping at 1, where the best documents would tie (an evaluation
     * that sorts by score then ranks them by id).
     */
    @Test
    void normalisedScoresKeepTheOrderOfTheScores() {
        Bm25Index index = index(PLAIN, KeywordWeights.DEFAULTS, "a", "apple apple apple apple", "b", "apple",
                "c", "apples and pears", "d", "pears", "e", "plums");
        List<Bm25Index.Hit> hits = index.search("apple", 10, id -> true);
        assertThat(ids(hits)).containsExactly("a", "b", "c");
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).normalisedScore()).isLessThan(hits.get(i - 1).normalisedScore());
        }
        assertThat(hits.get(0).normalisedScore()).isLessThan(1.0).isGreaterThan(0.0);
    }

    @Test
    void filtersStillApplyToTextsFoundBySubwordsOnly() {
        Bm25Index index = index(PLAIN, SUBWORDS_ONLY, "a", "eiffel tower", "b", "eiffel tower");
        assertThat(ids(index.search("eifel", 10, id -> !id.equals("a")))).containsExactly("b");
    }
}
