package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {
    /** Whitespace tokens as they are: the hand computation needs no stop words and no stemming. */
    private static final TextAnalyzer PLAIN = TextAnalyzer.of(Set.of(), UnaryOperator.identity());

    private Bm25Index index;

    @BeforeEach
    void threeDocuments() {
        // Whole terms as a bag of words: the hand computations below are of BM25 itself.
        index = new Bm25Index(PLAIN, 0.9, 0.4, KeywordWeights.PLAIN_BM25);
        index.put("d1", "apple banana apple");     // length 3
        index.put("d2", "banana cherry");          // length 2
        index.put("d3", "cherry date elder fig");  // length 4; avgdl = 9 / 3 = 3
    }

    /**
     * Hand computation, Lucene's BM25 (k1 = 0.9, b = 0.4), N = 3, avgdl = 3:
     * idf(apple) = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3) = 0.98082925;
     * idf(cherry) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.47000363.
     * d1: apple tf 2, dl 3: 0.98082925 * 2 * 1.9 / (2 + 0.9 * 1) = 1.28522454.
     * d2: cherry tf 1, dl 2: 0.47000363 * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 2/3)) = 0.50168927.
     * d3: cherry tf 1, dl 4: 0.47000363 * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 4/3)) = 0.44208262.
     * Maximum attainable: (0.98082925 + 0.47000363) * 1.9 = 2.75658248.
     */
    @Test
    void handComputedScores() {
        List<Bm25Index.Hit> hits = index.search("apple cherry", 10, id -> true);
        assertThat(hits).extracting(Bm25Index.Hit::id).containsExactly("d1", "d2", "d3");
        assertThat(hits.get(0).score()).isCloseTo(1.28522454, within(1e-7));
        assertThat(hits.get(1).score()).isCloseTo(0.50168927, within(1e-7));
        assertThat(hits.get(2).score()).isCloseTo(0.44208262, within(1e-7));
        assertThat(hits.get(0).normalisedScore()).isCloseTo(1.28522454 / 2.75658248, within(1e-7));
        assertThat(hits.get(1).normalisedScore()).isCloseTo(0.50168927 / 2.75658248, within(1e-7));
        assertThat(hits.get(2).normalisedScore()).isCloseTo(0.44208262 / 2.75658248, within(1e-7));
    }

    @Test
    void defaultsAreAnseriniK1AndB() {
        assertThat(Bm25Index.DEFAULT_K1).isEqualTo(0.9);
        assertThat(Bm25Index.DEFAULT_B).isEqualTo(0.4);
        Bm25Index defaults = new Bm25Index(PLAIN);
        defaults.put("d1", "apple banana apple");
        defaults.put("d2", "banana cherry");
        defaults.put("d3", "cherry date elder fig");
        Bm25Index explicit = new Bm25Index(PLAIN, 0.9, 0.4, KeywordWeights.DEFAULTS);
        explicit.put("d1", "apple banana apple");
        explicit.put("d2", "banana cherry");
        explicit.put("d3", "cherry date elder fig");
        assertThat(defaults.search("apple cherry", 10, id -> true)).isEqualTo(explicit.search("apple cherry", 10, id -> true));
        assertThat(defaults.analyzer()).isSameAs(PLAIN);
    }

    @Test
    void aRepeatedQueryTermCountsOncePerRepetition() {
        double once = index.search("apple", 1, id -> true).get(0).score();
        Bm25Index.Hit twice = index.search("apple apple", 1, id -> true).get(0);
        assertThat(twice.score()).isCloseTo(2 * once, within(1e-12));
        assertThat(twice.normalisedScore()).isCloseTo(index.search("apple", 1, id -> true).get(0).normalisedScore(), within(1e-12));
    }

    @Test
    void documentsMatchingNoQueryTermAreNeverReturned() {
        assertThat(index.search("date", 10, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("d3");
        assertThat(index.search("unknown words", 10, id -> true)).isEmpty();
        assertThat(index.search("   ", 10, id -> true)).isEmpty();
    }

    @Test
    void topKAndTiesByAscendingId() {
        Bm25Index ties = new Bm25Index(PLAIN);
        for (String id : List.of("c", "a", "d", "b")) {
            ties.put(id, "same words here");
        }
        ties.put("e", "other words entirely");
        assertThat(ties.search("same", 10, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("a", "b", "c", "d");
        assertThat(ties.search("same", 2, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("a", "b");
        assertThat(index.search("apple cherry", 1, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("d1");
    }

    @Test
    void acceptPredicateFiltersBeforeTopK() {
        List<Bm25Index.Hit> hits = index.search("apple cherry", 1, id -> !id.equals("d1"));
        assertThat(hits).extracting(Bm25Index.Hit::id).containsExactly("d2");
        assertThat(index.search("apple", 5, id -> false)).isEmpty();
    }

    @Test
    void removeUpdatesStatistics() {
        index.remove("d3");
        index.remove("unknown");
        assertThat(index.size()).isEqualTo(2);
        // Now N = 2, avgdl = 2.5, df(cherry) = 1: idf = ln(1 + 1.5 / 1.5) = ln 2.
        Bm25Index.Hit hit = index.search("cherry", 5, id -> true).get(0);
        assertThat(hit.id()).isEqualTo("d2");
        double expected = Math.log(2) * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 2 / 2.5));
        assertThat(hit.score()).isCloseTo(expected, within(1e-12));
        assertThat(index.search("date fig", 5, id -> true)).isEmpty();
    }

    @Test
    void putReplacesAPreviousText() {
        index.put("d3", "apple");
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.search("fig", 5, id -> true)).isEmpty();
        // avgdl is now (3 + 2 + 1) / 3 = 2: d1 (tf 2, dl 3) still outscores d3 (tf 1, dl 1).
        assertThat(index.search("apple", 5, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("d1", "d3");
    }

    @Test
    void clearEmptiesTheIndex() {
        index.clear();
        assertThat(index.size()).isZero();
        assertThat(index.search("apple", 5, id -> true)).isEmpty();
        index.put("x", "apple");
        assertThat(index.search("apple", 5, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("x");
    }

    @Test
    void normalisedScoresStayInTheUnitInterval() {
        long seed = 42L;
        Random random = new Random(seed);
        String[] vocabulary = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"};
        Bm25Index idx = new Bm25Index(PLAIN, 1.2, 0.75);
        for (int d = 0; d < 60; d++) {
            StringBuilder text = new StringBuilder();
            int len = 1 + random.nextInt(30);
            for (int i = 0; i < len; i++) {
                text.append(vocabulary[random.nextInt(random.nextBoolean() ? 2 : vocabulary.length)]).append(' ');
            }
            idx.put("doc" + d, text.toString());
        }
        for (int q = 0; q < 50; q++) {
            String query = vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)];
            List<Bm25Index.Hit> hits = idx.search(query, 100, id -> true);
            for (int i = 0; i < hits.size(); i++) {
                Bm25Index.Hit h = hits.get(i);
                assertThat(h.normalisedScore()).as("seed %d query %s", seed, query).isBetween(0.0, 1.0);
                assertThat(h.score()).as("seed %d query %s", seed, query).isPositive();
                if (i > 0) {
                    assertThat(h.score()).as("seed %d query %s sorted", seed, query).isLessThanOrEqualTo(hits.get(i - 1).score());
                }
            }
        }
    }

    @Test
    void aOneDocumentMatchOfEveryTermScoresBelowOne() {
        Bm25Index one = new Bm25Index(PLAIN, 0.9, 0.4, KeywordWeights.PLAIN_BM25);
        one.put("only", "word");
        Bm25Index.Hit hit = one.search("word", 1, id -> true).get(0);
        // N = 1, df = 1: idf = ln(1 + 0.5 / 1.5); tf 1 at average length: weight = idf * 1.9 / 1.9 = idf.
        assertThat(hit.score()).isCloseTo(Math.log(4.0 / 3), within(1e-12));
        assertThat(hit.normalisedScore()).isCloseTo(1 / 1.9, within(1e-12));
    }

    @Test
    void emptyIndexFindsNothing() {
        assertThat(new Bm25Index(PLAIN).search("apple", 3, id -> true)).isEmpty();
    }

    @Test
    void rejectsInvalidParameters() {
        assertThatThrownBy(() -> new Bm25Index(PLAIN, -0.1, 0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k1");
        assertThatThrownBy(() -> new Bm25Index(PLAIN, 1.2, 1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b=1.5");
        assertThatThrownBy(() -> new Bm25Index(PLAIN, Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frenchEnglishAnalysisAppliesToQueriesAndDocuments() {
        Bm25Index fr = new Bm25Index(TextAnalyzer.frenchEnglish());
        fr.put("a", "Les élèves lisent l'œuvre.");
        fr.put("b", "The students read the book.");
        assertThat(fr.search("ELEVE oeuvre", 5, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("a");
        assertThat(fr.search("les the", 5, id -> true)).isEmpty();
    }

    @Test
    void eachDocumentIsScoredByTheQueryReadInTheDocumentsLanguage() {
        Bm25Index english = new Bm25Index(TextAnalyzer.auto());
        english.put("e1", "The relational databases are running on the new servers.");
        english.put("e2", "The cat is sleeping on the sofa in the afternoon.");
        assertThat(english.documentsByLanguage()).isEqualTo(java.util.Map.of("en", 2));
        // no function word: read in English (Porter: relat, databas) for English documents
        assertThat(english.search("relational databases", 10, id -> true)).extracting(Bm25Index.Hit::id)
                .containsExactly("e1");
        // read with the fallback analyzer (light plural stemmer) it would have found nothing
        assertThat(new Bm25Index(TextAnalyzer.frenchEnglish()).analyzer().analyze("relational databases"))
                .doesNotContainAnyElementsOf(TextAnalyzer.english().analyze("relational databases"));

        Bm25Index french = new Bm25Index(TextAnalyzer.auto());
        french.put("f1", "Les constructions du château ont commencé en 1575, sous le règne du roi.");
        french.put("f2", "La chanteuse a enregistré son premier disque à Paris.");
        french.put("e1", "The relational databases are running on the new servers.");
        assertThat(french.documentsByLanguage()).isEqualTo(java.util.Map.of("fr", 2, "en", 1));
        assertThat(french.search("constructions", 10, id -> true)).extracting(Bm25Index.Hit::id).containsExactly("f1");
        // the English document is scored by the query read in English, the French ones by it read in French
        assertThat(french.search("Which databases are running?", 10, id -> true)).extracting(Bm25Index.Hit::id)
                .containsExactly("e1");
        assertThat(french.search("databases constructions", 10, id -> true)).extracting(Bm25Index.Hit::id)
                .containsExactlyInAnyOrder("e1", "f1");
        assertThat(french.search("databases constructions", 10, id -> true))
                .allSatisfy(hit -> assertThat(hit.normalisedScore()).isBetween(0.0, 1.0));
        french.remove("f1");
        french.remove("f2");
        assertThat(french.documentsByLanguage()).isEqualTo(java.util.Map.of("en", 1));
        french.clear();
        assertThat(french.documentsByLanguage()).isEmpty();
    }
}
