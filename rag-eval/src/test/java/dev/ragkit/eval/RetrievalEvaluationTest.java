package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalEvaluationTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void meansCountQueriesWithNothingFoundAndQueriesWithNoRunAsZero() {
        Qrels qrels = Qrels.of(Map.of(
                "q1", Map.of("a", 1),
                "q2", Map.of("b", 1),
                "q3", Map.of("c", 1)));
        Map<String, List<ScoredDoc>> run = Map.of(
                "q1", List.of(new ScoredDoc("a", 0.9), new ScoredDoc("x", 0.5)),
                "q2", List.of(new ScoredDoc("y", 0.9), new ScoredDoc("b", 0.5)));
        // q3 has no run at all
        RetrievalEvaluation.Scores s = RetrievalEvaluation.evaluate(qrels, List.of("q1", "q2", "q3"), run, List.of(1, 10));
        assertThat(s.queries()).isEqualTo(3);
        // recall@1: q1 = 1, q2 = 0, q3 = 0
        assertThat(s.mean(RetrievalMetric.RECALL, 1)).isCloseTo(1.0 / 3, within(1e-12));
        // ndcg@10: q1 = 1, q2 = 1/log2(3), q3 = 0
        assertThat(s.mean(RetrievalMetric.NDCG, 10)).isCloseTo((1 + 1 / LOG2_3) / 3, within(1e-12));
        // mrr@10: 1, 1/2, 0
        assertThat(s.mean(RetrievalMetric.MRR, 10)).isCloseTo(0.5, within(1e-12));
        assertThat(s.perQuery().get("q3")).containsEntry("ndcg@10", 0.0);
        assertThat(s.flat()).containsKeys("ndcg@1", "recall@10", "precision@10", "map@1", "mrr@10");
    }

    @Test
    void theRunIsReorderedByScoreNotTakenInListOrder() {
        Qrels qrels = Qrels.of(Map.of("q", Map.of("a", 1)));
        Map<String, List<ScoredDoc>> run = Map.of("q", List.of(new ScoredDoc("x", 0.1), new ScoredDoc("a", 0.8)));
        RetrievalEvaluation.Scores s = RetrievalEvaluation.evaluate(qrels, List.of("q"), run, List.of(1));
        assertThat(s.mean(RetrievalMetric.RECALL, 1)).isEqualTo(1.0);
    }

    @Test
    void datasetEvaluationSkipsQueriesJudgedOnlyNotRelevant() {
        Qrels qrels = Qrels.of(Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 0)));
        BeirDataset ds = new BeirDataset("t", "test", List.of(new CorpusDocument("a", "", "x")),
                Map.of("q1", new EvalQuery("q1", "one"), "q2", new EvalQuery("q2", "two")), qrels);
        assertThat(ds.evaluationQueries()).extracting(EvalQuery::id).containsExactly("q1");
        assertThat(ds.unscoredQueryCount()).isEqualTo(1);
        RetrievalEvaluation.Scores s = RetrievalEvaluation.evaluate(ds, Map.of("q1", List.of(new ScoredDoc("a", 1))),
                List.of(5));
        assertThat(s.queries()).isEqualTo(1);
        assertThat(s.mean(RetrievalMetric.NDCG, 5)).isEqualTo(1.0);
    }
}
