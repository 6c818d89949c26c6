package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each metric against values computed by hand (the arithmetic is in the comments), following
 * trec_eval's definitions.
 */
class RetrievalMetricTest {
    private static final double EPS = 1e-9;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_5 = Math.log(5) / Math.log(2);

    // Graded judgments: d1 very relevant (2), d2 and d4 relevant (1), d3 judged not relevant (0).
    private static final Map<String, Integer> GRADED = Map.of("d1", 2, "d2", 1, "d3", 0, "d4", 1);
    // Run: d3 (judged 0), d1 (2), d5 (unjudged), d2 (1). d4 is never retrieved.
    private static final List<String> RUN = List.of("d3", "d1", "d5", "d2");

    @Nested
    class Ndcg {
        @Test
        void usesTheGradeAsGainAndTheJudgedDocumentsForTheIdealRanking() {
            // DCG@3 = 0/log2(2) + 2/log2(3) + 0/log2(4)
            double dcg3 = 2 / LOG2_3;
            // ideal gains [2, 1, 1]: 2/log2(2) + 1/log2(3) + 1/log2(4)
            double idcg3 = 2 + 1 / LOG2_3 + 0.5;
            assertThat(RetrievalMetric.NDCG.compute(RUN, GRADED, 3)).isCloseTo(dcg3 / idcg3, within(EPS));
            assertThat(dcg3 / idcg3).isCloseTo(0.4030303, within(1e-6));
        }

        @Test
        void idealDcgStopsAtTheNumberOfRelevantDocuments() {
            // DCG@4 adds d2 at rank 4: 1/log2(5); the ideal ranking has only three relevant documents.
            double dcg4 = 2 / LOG2_3 + 1 / LOG2_5;
            double idcg = 2 + 1 / LOG2_3 + 0.5;
            assertThat(RetrievalMetric.NDCG.compute(RUN, GRADED, 4)).isCloseTo(dcg4 / idcg, within(EPS));
            assertThat(RetrievalMetric.NDCG.compute(RUN, GRADED, 10)).isCloseTo(dcg4 / idcg, within(EPS));
            assertThat(dcg4 / idcg).isCloseTo(0.5405858, within(1e-6));
        }

        @Test
        void isOneForTheIdealRankingAndBinaryGainsReduceToTheUsualFormula() {
            assertThat(RetrievalMetric.NDCG.compute(List.of("d1", "d2", "d4"), GRADED, 3)).isCloseTo(1, within(EPS));
            // a lower grade first is not ideal: (1 + 2/log2(3) + 1/2) / (2 + 1/log2(3) + 1/2)
            assertThat(RetrievalMetric.NDCG.compute(List.of("d2", "d1", "d4"), GRADED, 3))
                    .isCloseTo((1 + 2 / LOG2_3 + 0.5) / (2 + 1 / LOG2_3 + 0.5), within(EPS));
            // binary: one relevant at rank 2 of two relevant: (1/log2(3)) / (1 + 1/log2(3))
            Map<String, Integer> binary = Map.of("a", 1, "b", 1);
            assertThat(RetrievalMetric.NDCG.compute(List.of("x", "a"), binary, 10))
                    .isCloseTo((1 / LOG2_3) / (1 + 1 / LOG2_3), within(EPS));
        }
    }

    @Test
    void recallCountsRelevantRetrievedOverAllJudgedRelevant() {
        assertThat(RetrievalMetric.RECALL.compute(RUN, GRADED, 1)).isEqualTo(0);
        assertThat(RetrievalMetric.RECALL.compute(RUN, GRADED, 3)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RetrievalMetric.RECALL.compute(RUN, GRADED, 4)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(RetrievalMetric.RECALL.compute(RUN, GRADED, 100)).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void precisionDividesByKEvenWhenTheRunIsShorter() {
        assertThat(RetrievalMetric.PRECISION.compute(RUN, GRADED, 3)).isCloseTo(1.0 / 3, within(EPS));
        // two relevant in a run of four, at k = 10: 2/10 as trec_eval's P_10
        assertThat(RetrievalMetric.PRECISION.compute(RUN, GRADED, 10)).isCloseTo(0.2, within(EPS));
    }

    @Test
    void mrrIsTheReciprocalRankOfTheFirstRelevantWithinK() {
        assertThat(RetrievalMetric.MRR.compute(RUN, GRADED, 1)).isEqualTo(0);
        assertThat(RetrievalMetric.MRR.compute(RUN, GRADED, 2)).isCloseTo(0.5, within(EPS));
        assertThat(RetrievalMetric.MRR.compute(RUN, GRADED, 10)).isCloseTo(0.5, within(EPS));
    }

    @Test
    void mapSumsPrecisionAtEachRelevantRankOverAllRelevant() {
        // relevant at rank 2 (precision 1/2) and rank 4 (precision 2/4); three relevant judged
        assertThat(RetrievalMetric.MAP.compute(RUN, GRADED, 4)).isCloseTo((0.5 + 0.5) / 3, within(EPS));
        assertThat(RetrievalMetric.MAP.compute(RUN, GRADED, 3)).isCloseTo(0.5 / 3, within(EPS));
    }

    @Test
    void aQueryWithNothingRelevantRetrievedScoresZeroEverywhere() {
        Map<String, Integer> judged = Map.of("gold", 1, "bad", 0);
        List<String> run = List.of("bad", "other", "third");
        for (RetrievalMetric m : RetrievalMetric.values()) {
            for (int k : List.of(1, 3, 10)) {
                assertThat(m.compute(run, judged, k)).as(m.at(k)).isEqualTo(0);
            }
        }
        for (RetrievalMetric m : RetrievalMetric.values()) {
            assertThat(m.compute(List.of(), judged, 10)).as(m.at(10) + " of an empty run").isEqualTo(0);
        }
    }

    @Test
    void rankOrdersByScoreThenByDocumentIdDescendingAsTrecEval() {
        List<String> ranked = RetrievalMetric.rank(List.of(new ScoredDoc("a", 0.5), new ScoredDoc("c", 0.9),
                new ScoredDoc("b", 0.5), new ScoredDoc("d", 0.1)));
        assertThat(ranked).containsExactly("c", "b", "a", "d");
    }

    @Test
    void rankKeepsTheBestScoreOfARepeatedDocument() {
        List<String> ranked = RetrievalMetric.rank(List.of(new ScoredDoc("a", 0.2), new ScoredDoc("b", 0.5),
                new ScoredDoc("a", 0.9)));
        assertThat(ranked).containsExactly("a", "b");
    }

    @Test
    void labelsAndErrors() {
        assertThat(RetrievalMetric.NDCG.at(10)).isEqualTo("ndcg@10");
        assertThat(RetrievalMetric.byLabel("P")).isEqualTo(RetrievalMetric.PRECISION);
        assertThat(RetrievalMetric.byLabel("Recall")).isEqualTo(RetrievalMetric.RECALL);
        assertThatThrownBy(() -> RetrievalMetric.byLabel("bleu")).hasMessageContaining("bleu");
        assertThatThrownBy(() -> RetrievalMetric.RECALL.compute(RUN, GRADED, 0)).hasMessageContaining("k was 0");
    }
}
