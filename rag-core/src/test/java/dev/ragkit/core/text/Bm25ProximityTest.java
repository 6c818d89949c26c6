package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class Bm25ProximityTest {
    /** Whitespace tokens as they are: the hand computation needs no stop words and no stemming. */
    private static final TextAnalyzer PLAIN = TextAnalyzer.of(Set.of(), UnaryOperator.identity());

    /** The same words, as often and as long: only where they stand differs. */
    private static Bm25Index twoTexts(double proximityWeight) {
        // Whole terms only: the hand computation below is of proximity alone.
        Bm25Index index = new Bm25Index(PLAIN, 0.9, 0.4, KeywordWeights.PLAIN_BM25.withProximity(proximityWeight));
        index.put("apart", "ministry budget x x x x sport y y y");
        index.put("together", "budget x x x ministry sport y y y x");
        index.put("other", "nothing here at all");
        return index;
    }

    @Test
    void termsStandingTogetherRankFirstAndPlainBm25CannotTellThemApart() {
        List<Bm25Index.Hit> plain = twoTexts(0).search("ministry sport", 10, id -> true);
        assertThat(plain).extracting(Bm25Index.Hit::id).containsExactly("apart", "together"); // a tie, by id
        assertThat(plain.get(0).score()).isEqualTo(plain.get(1).score());

        List<Bm25Index.Hit> near = twoTexts(Bm25Index.DEFAULT_PROXIMITY_WEIGHT).search("ministry sport", 10, id -> true);
        assertThat(near).extracting(Bm25Index.Hit::id).containsExactly("together", "apart");
    }

    /**
     * Hand computation: both texts score the same BM25 {@code s}, which is the query's best ({@code top = s}).
     * One pair (ministry, sport), both terms with df 2 of 3, so the pair weight is their idf {@code w}, and
     * it divides the sum too: proximity = (w / d²) / w = 1 / d². "together": d = 1, bonus 0.5 · s · 1;
     * "apart": d = 6 (ministry at 0, sport at 6), bonus 0.5 · s / 36.
     */
    @Test
    void handComputedBonus() {
        double s = twoTexts(0).search("ministry sport", 1, id -> true).get(0).score();
        List<Bm25Index.Hit> hits = twoTexts(0.5).search("ministry sport", 10, id -> true);
        assertThat(hits.get(0).score()).isCloseTo(s * 1.5, within(1e-9));
        assertThat(hits.get(1).score()).isCloseTo(s * (1 + 0.5 / 36), within(1e-9));
    }

    @Test
    void aSingleTermQueryIsPlainBm25() {
        // Same documents and scores; the normalised scores differ by the room left for the bonus.
        assertThat(twoTexts(0.5).search("ministry", 10, id -> true))
                .extracting(Bm25Index.Hit::id, Bm25Index.Hit::score)
                .isEqualTo(twoTexts(0).search("ministry", 10, id -> true).stream()
                        .map(h -> tuple(h.id(), h.score())).toList());
    }

    @Test
    void aSearchForFewerDocumentsReturnsTheFirstOfASearchForMore() {
        Random random = new Random(7);
        String[] words = {"tour", "eiffel", "paris", "hauteur", "metres", "fer", "construction", "exposition",
            "universelle", "gustave", "ingenieur", "visiteurs", "sommet", "antenne", "seine"};
        Bm25Index index = new Bm25Index(PLAIN);
        for (int d = 0; d < 200; d++) {
            List<String> text = new ArrayList<>();
            for (int t = 0; t < 5 + random.nextInt(30); t++) {
                text.add(words[random.nextInt(words.length)]);
            }
            index.put("doc-" + d, String.join(" ", text));
        }
        for (String query : List.of("tour eiffel", "hauteur de la tour eiffel a paris", "gustave eiffel ingenieur",
                "exposition universelle construction fer")) {
            List<Bm25Index.Hit> many = index.search(query, 100, id -> true);
            for (int k : new int[] {1, 5, 10, Bm25Index.PROXIMITY_DEPTH, 40}) {
                assertThat(index.search(query, k, id -> true)).as(query + " top " + k).isEqualTo(many.subList(0, k));
            }
        }
    }

    @Test
    void aReplacedTextIsJudgedByItsNewWords() {
        Bm25Index index = twoTexts(0.5);
        index.put("together", "ministry budget x x x x sport y y y"); // now as far apart as "apart"
        index.remove("apart");
        index.put("apart", "budget x x x ministry sport y y y x");
        assertThat(index.search("ministry sport", 10, id -> true)).extracting(Bm25Index.Hit::id)
                .containsExactly("apart", "together");
    }

    @Test
    void aPastedPageAsAQueryCostsNoSquareOfItsLength() {
        Bm25Index index = twoTexts(0.5);
        StringBuilder page = new StringBuilder("ministry sport");
        for (int i = 0; i < 20_000; i++) {
            page.append(" word").append(i);
        }
        long start = System.nanoTime();
        List<Bm25Index.Hit> hits = index.search(page.toString(), 10, id -> true);
        assertThat(hits).extracting(Bm25Index.Hit::id).contains("together", "apart");
        // 20,000 distinct terms: 2 x 10^8 pairs without the cap on the terms proximity looks at
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
    }

    @Test
    void aMeaninglessWeightIsRefused() {
        for (double weight : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new KeywordWeights(weight, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("proximity weight");
            assertThatThrownBy(() -> KeywordWeights.DEFAULTS.withSubword(weight))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("subword weight");
        }
    }
}
