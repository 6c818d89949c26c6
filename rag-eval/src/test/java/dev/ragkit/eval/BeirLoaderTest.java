package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void loadsCorpusQueriesAndQrelsSkippingQueryMetadata() {
        BeirDataset ds = BeirLoader.load(TinyBeir.write(tmp.resolve("tiny")), "test");
        assertThat(ds.name()).isEqualTo("tiny");
        assertThat(ds.corpus()).hasSize(4);
        assertThat(ds.corpus().get(0).indexText()).isEqualTo("Aspirin Aspirin reduces the risk of heart attack.");
        assertThat(ds.corpus().get(3).indexText()).isEqualTo("Exercise improves heart health and sleep.");
        assertThat(ds.queries()).hasSize(4);
        assertThat(ds.queries().get("q1")).isEqualTo(new EvalQuery("q1", "aspirin heart attack risk"));
        assertThat(ds.qrels().size()).isEqualTo(3);
        assertThat(ds.qrels().judgments("q2")).containsEntry("d2", 2).containsEntry("d4", 0);
        assertThat(ds.qrels().relevantCount("q3")).isEqualTo(2);
        assertThat(ds.evaluationQueries()).extracting(EvalQuery::id).containsExactly("q1", "q2", "q3");
    }

    @Test
    void namesTheFileAndLineOfBadRecords() throws Exception {
        Path dir = TinyBeir.write(tmp.resolve("bad"));
        Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"ok\"}\n{\"_id\": \"q2\"}\n");
        assertThatThrownBy(() -> BeirLoader.loadQueries(dir.resolve("queries.jsonl")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("queries.jsonl:2")
                .hasMessageContaining("q2");
        Files.writeString(dir.resolve("qrels").resolve("dev.tsv"), "q-id\tc-id\tscore\nq1\td1\tmaybe\n");
        assertThatThrownBy(() -> BeirLoader.loadQrels(dir.resolve("qrels").resolve("dev.tsv")))
                .hasMessageContaining("dev.tsv:2").hasMessageContaining("maybe");
    }

    @Test
    void rejectsQrelsThatJudgeAnUnknownQuery() throws Exception {
        Path dir = TinyBeir.write(tmp.resolve("unknown"));
        Files.writeString(dir.resolve("qrels").resolve("test.tsv"), "query-id\tcorpus-id\tscore\nq9\td1\t1\n");
        assertThatThrownBy(() -> BeirLoader.load(dir, "test")).hasMessageContaining("q9");
    }

    @Test
    void loadsQaExamples() throws Exception {
        Path file = tmp.resolve("qa.jsonl");
        Files.writeString(file, "{\"id\": \"1\", \"question\": \"Quelle hauteur ?\", \"answers\": [\"330 m\", \"330 m\"],"
                + " \"answer_starts\": [10, 10], \"context_id\": \"piaf-a001-p01\", \"title\": \"Tour\"}\n");
        assertThat(QaLoader.load(file)).singleElement().satisfies(q -> {
            assertThat(q.question()).isEqualTo("Quelle hauteur ?");
            assertThat(q.answers()).containsExactly("330 m", "330 m");
            assertThat(q.contextId()).isEqualTo("piaf-a001-p01");
        });
        Files.writeString(file, "{\"id\": \"1\", \"question\": \"Q\", \"answers\": [], \"answer_starts\": [],"
                + " \"context_id\": \"c\"}\n");
        assertThatThrownBy(() -> QaLoader.load(file)).hasMessageContaining("qa.jsonl:1").hasMessageContaining("no answers");
    }
}
