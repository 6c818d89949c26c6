package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.text.TextAnalyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirEvaluatorTest {
    @TempDir
    Path tmp;

    private BeirEvaluator.Outcome run(RetrievalMode mode, TinyBeir.BagOfWords embedder) {
        BeirDataset ds = BeirLoader.load(TinyBeir.write(tmp.resolve("tiny")), "test");
        return BeirEvaluator.evaluate(ds, embedder, "test:bag-of-words",
                new BeirEvaluator.Settings(mode, 100, List.of(1, 10), TextAnalyzer.english(), "english", 2, 60), null);
    }

    @Test
    void bm25RunsThroughTheIngestorAndTheRetriever() {
        BeirEvaluator.Outcome o = run(RetrievalMode.KEYWORD, null);
        assertThat(o.scores().queries()).isEqualTo(3);
        // q1 and q2 find their document first; q3 ("sleep memory") ranks d3 first (both terms)
        assertThat(o.run().get("q1").get(0).docId()).isEqualTo("d1");
        assertThat(o.run().get("q2").get(0).docId()).isEqualTo("d2");
        assertThat(o.run().get("q3").get(0).docId()).isEqualTo("d3");
        assertThat(o.scores().mean(RetrievalMetric.MRR, 10)).isEqualTo(1.0);
        // q3 has two relevant documents: d4 ("sleep" once) is found too, so recall@10 is 1 everywhere
        assertThat(o.scores().mean(RetrievalMetric.RECALL, 10)).isEqualTo(1.0);
        assertThat(o.report().parameters()).containsEntry("mode", "bm25").containsEntry("documents", "4");
        assertThat(o.report().latency()).containsKey("retrieval");
    }

    @Test
    void theFaissStoreGivesTheSameRunsAsTheReferenceStore() {
        BeirDataset ds = BeirLoader.load(TinyBeir.write(tmp.resolve("tiny-faiss")), "test");
        for (RetrievalMode mode : RetrievalMode.values()) {
            BeirEvaluator.Outcome memory = BeirEvaluator.evaluate(ds, new TinyBeir.BagOfWords(), "test:bag-of-words",
                    new BeirEvaluator.Settings(mode, 100, List.of(1, 10), TextAnalyzer.english(), "english", 2, 60), null);
            BeirEvaluator.Outcome faiss = BeirEvaluator.evaluate(ds, new TinyBeir.BagOfWords(), "test:bag-of-words",
                    new BeirEvaluator.Settings(mode, 100, List.of(1, 10), TextAnalyzer.english(), "english", 2, 60,
                            "faiss"), null);
            assertThat(faiss.report().parameters()).as(mode.name()).containsEntry("store", "faiss");
            for (String q : memory.run().keySet()) {
                assertThat(RetrievalMetric.rank(faiss.run().get(q))).as(mode + " " + q)
                        .isEqualTo(RetrievalMetric.rank(memory.run().get(q)));
            }
        }
    }

    @Test
    void denseEmbedsEveryDocumentOnceAndEveryQueryOnce() {
        TinyBeir.BagOfWords embedder = new TinyBeir.BagOfWords();
        BeirEvaluator.Outcome o = run(RetrievalMode.DENSE, embedder);
        assertThat(embedder.embedded).hasSize(4);
        assertThat(embedder.queryCalls).isEqualTo(3);
        assertThat(o.run().get("q1").get(0).docId()).isEqualTo("d1");
        assertThat(o.report().latency()).containsKeys("retrieval", "embed", "search");
        assertThat(o.report().metrics()).containsKeys("ndcg@1", "ndcg@10", "recall@10");
    }

    @Test
    void hybridIsScoredInFusedOrderNotByTheCarriedSimilarity() {
        Chunk a = Chunk.of("a", 0, "x", Map.of());
        Chunk b = Chunk.of("b", 0, "y", Map.of());
        // fused order a, b although b carries the higher similarity
        List<SearchHit> fused = List.of(new SearchHit(a, 0.2), new SearchHit(b, 0.9));
        assertThat(RetrievalMetric.rank(BeirEvaluator.toRun(fused, RetrievalMode.HYBRID))).containsExactly("a", "b");
        assertThat(RetrievalMetric.rank(BeirEvaluator.toRun(fused, RetrievalMode.DENSE))).containsExactly("b", "a");
        BeirEvaluator.Outcome o = run(RetrievalMode.HYBRID, new TinyBeir.BagOfWords());
        assertThat(o.run().get("q2").get(0).docId()).isEqualTo("d2");
    }
}
