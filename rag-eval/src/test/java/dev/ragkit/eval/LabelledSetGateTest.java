package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.index.GateVerdict;
import dev.ragkit.core.index.PromotionCandidate;
import dev.ragkit.core.index.VersionSearcher;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledSetGateTest {
    /** q1 judges d1 relevant, q2 judges d2, q3 judges d3 and d4. */
    private static final Qrels QRELS = Qrels.of(Map.of("q1", Map.of("d1", 1), "q2", Map.of("d2", 1),
            "q3", Map.of("d3", 1, "d4", 1), "q4", Map.of("d9", 0)));
    private static final List<EvalQuery> QUERIES = List.of(new EvalQuery("q1", "first"), new EvalQuery("q2", "second"),
            new EvalQuery("q3", "third"), new EvalQuery("q4", "fourth"));

    /** A version answering each query text with fixed documents, best first. */
    private static VersionSearcher searcher(int number, Map<String, List<String>> answers) {
        IndexVersion version = IndexVersion.building(number, new IndexInfo("test", 3, ""), Instant.EPOCH)
                .ready("f", 4, 4);
        return new VersionSearcher() {
            @Override
            public IndexVersion version() {
                return version;
            }

            @Override
            public List<SearchHit> search(String query, int topK) {
                List<SearchHit> hits = new ArrayList<>();
                List<String> docs = answers.getOrDefault(query, List.of());
                for (int i = 0; i < docs.size() && i < topK; i++) {
                    hits.add(new SearchHit(Chunk.of(docs.get(i), 0, "text of " + docs.get(i), Map.of()), 1.0 - i * 0.1));
                }
                return hits;
            }
        };
    }

    private static final VersionSearcher PERFECT = searcher(2, Map.of("first", List.of("d1", "x"),
            "second", List.of("d2"), "third", List.of("d3", "d4")));
    private static final VersionSearcher HALF = searcher(1, Map.of("first", List.of("x", "d1"),
            "second", List.of("y"), "third", List.of("d3")));

    @Test
    void aBetterCandidatePassesAndBothVersionsFiguresAreReported() {
        LabelledSetGate gate = LabelledSetGate.builder(QUERIES, QRELS).minNdcgAt10(0.9).minRecall(10, 0.9).build();
        GateVerdict verdict = gate.evaluate(new PromotionCandidate(PERFECT, Optional.of(HALF)));
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.figures().get("ndcg@10")).isEqualTo(1.0);
        assertThat(verdict.figures().get("recall@10")).isEqualTo(1.0);
        // Live: q1 finds d1 at rank 2, q2 nothing, q3 one of two at rank 1.
        assertThat(verdict.figures().get("live-recall@10")).isCloseTo((1 + 0 + 0.5) / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(verdict.figures().get("live-ndcg@10")).isLessThan(0.6);
        assertThat(verdict.figures()).containsEntry("queries", 3.0);
        assertThat(verdict.summary()).startsWith("labelled-set passed: ndcg@10=1 recall@10=1");
    }

    @Test
    void aCandidateBelowAThresholdOrWorseThanTheLiveVersionIsRefusedWithTheFigures() {
        GateVerdict belowThreshold = LabelledSetGate.builder(QUERIES, QRELS).minNdcgAt10(0.8).build()
                .evaluate(new PromotionCandidate(HALF, Optional.empty()));
        assertThat(belowThreshold.passed()).isFalse();
        assertThat(belowThreshold.explanation()).contains("nDCG@10 0.").contains("is below the threshold 0.8000");

        GateVerdict regression = LabelledSetGate.builder(QUERIES, QRELS).build()
                .evaluate(new PromotionCandidate(HALF, Optional.of(PERFECT)));
        assertThat(regression.passed()).isFalse();
        assertThat(regression.explanation()).contains("more than 0.0100 below the live v2's 1.0000");

        GateVerdict tolerated = LabelledSetGate.builder(QUERIES, QRELS).maxDrop(1).build()
                .evaluate(new PromotionCandidate(HALF, Optional.of(PERFECT)));
        assertThat(tolerated.passed()).isTrue();

        GateVerdict recall = LabelledSetGate.builder(QUERIES, QRELS).minRecall(1, 0.9).build()
                .evaluate(new PromotionCandidate(HALF, Optional.empty()));
        assertThat(recall.passed()).isFalse();
        assertThat(recall.figures()).containsKeys("recall@1", "min-recall@1");
    }

    @Test
    void readsQueriesAndQrelsFromABeirFolderAndRejectsBadSettings(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "first"}
                {"_id": "q2", "text": "second"}
                """);
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        GateVerdict verdict = LabelledSetGate.fromBeirDirectory(dir, "test").minNdcgAt10(1.0).build()
                .evaluate(new PromotionCandidate(PERFECT, Optional.empty()));
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.figures()).containsEntry("queries", 1.0);

        Files.writeString(dir.resolve("qrels/test.tsv"), "q7\td1\t1\n");
        assertThatThrownBy(() -> LabelledSetGate.fromBeirDirectory(dir, "test")).hasMessageContaining("'q7'");
        assertThatThrownBy(() -> LabelledSetGate.builder(QUERIES, QRELS).minNdcgAt10(1.5).build())
                .hasMessageContaining("1.5");
    }
}
