package dev.ragkit.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index lifecycle end to end on a slice of SciFact (1,000 documents: those judged for the 300
 * test queries, then the corpus in order; about a minute) on the FAISS store, with both real ONNX models: v1 all-MiniLM-L6-v2, v2 bge-small-en-v1.5
 * built while unpaced queries hit v1, promoted through the nDCG gate (nDCG@10 rises), rolled back,
 * promoted again, then v3 from a corpus where 5 % of the documents changed, reusing v2's vectors.
 * No query fails, sees a version that is not ready, or gets an answer that a version gave differently
 * before. The whole corpus is the measured command {@code LifecycleBench} (minutes, not a test).
 */
class LifecycleScenarioIT {
    /**
     * SciFact from {@code shared/data/scifact} in the project's parent folder or any folder above (as the
     * data README says), else from {@code $RAGKIT_SHARED_DATA/scifact}. Without it the test reports itself
     * skipped with the reason: a checkout elsewhere has no data, and this test never passes unrun.
     */
    private static Path scifact() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/scifact");
            if (Files.isRegularFile(candidate.resolve("corpus.jsonl"))) {
                return candidate;
            }
        }
        String shared = System.getenv("RAGKIT_SHARED_DATA");
        if (shared != null && Files.isRegularFile(Path.of(shared, "scifact", "corpus.jsonl"))) {
            return Path.of(shared, "scifact");
        }
        Assumptions.abort("not run: SciFact is not in any shared/data/scifact above " + here
                + " nor in $RAGKIT_SHARED_DATA/scifact (see shared/data/README.md)");
        throw new AssertionError("unreachable");
    }

    @Test
    @SuppressWarnings("unchecked")
    void reindexPromoteRollbackAndPromoteAgainWhileQueriesRun(@TempDir Path work) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LifecycleBench.Result result = LifecycleBench.run(new LifecycleBench.Settings(scifact(), work.resolve("index"),
                "faiss", 1000, 0, 0.05, "all-minilm-l6-v2-q", "bge-small-en-v1.5-q", 40, 18, 0),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.problems()).as(result.json().toString()).isEmpty();
        Map<String, Object> queries = (Map<String, Object>) result.json().get("queries");
        assertThat((Long) queries.get("failures")).isZero();
        assertThat((Long) queries.get("changed_answers")).isZero();
        assertThat((Long) queries.get("total")).isGreaterThan(100);
        assertThat(queries.get("versions_seen").toString()).contains("v1").contains("v2").doesNotContain("v3");
        Map<String, Double> gate = (Map<String, Double>) result.json().get("gate_figures");
        assertThat(gate.get("ndcg@10")).isGreaterThan(gate.get("live-ndcg@10"));
        Map<String, Object> reindex = (Map<String, Object>) result.json().get("reindex");
        Map<String, Object> v3 = (Map<String, Object>) reindex.get("v3_changed_bge-small-en-v1.5-q");
        assertThat(v3.get("reused_from")).isEqualTo("v2");
        assertThat(v3.get("chunks_embedded")).isEqualTo(50); // 5 % of 1000
        assertThat(v3.get("chunks_reused")).isEqualTo(950);
        assertThat(result.json().get("rollback")).isEqualTo("v1");
    }
}
