package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo on the real defaults (onnx embedder, faiss store, hybrid, extractive), as {@code make demo} runs it. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void answersFourQuestionsWithCitationsAndReingestsNothingTheSecondTime() {
        Path index = dir.resolve("demo-index");
        CliRun first = CliRun.run("demo", "--index", index.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.summary("documents")).isEqualTo(DemoCorpus.extractTo(dir.resolve("copy")).size());
        assertThat(first.summary("chunks_embedded")).isPositive();
        assertThat(first.out()).contains("embedder onnx:all-minilm-l6-v2-q, store faiss");
        for (DemoCommand.Question q : DemoCommand.QUESTIONS) {
            assertThat(first.out()).contains("[" + q.lang() + "] " + q.text());
        }
        assertThat(count(first.out(), "\nSources:\n")).isEqualTo(4);
        assertThat(count(first.out(), "Answered by: extractive (EXTRACTIVE")).isEqualTo(4);
        assertThat(count(first.out(), "Timings: rag.embed")).isEqualTo(4);
        // Each question is answered from documents of its own language, cited by number.
        assertThat(first.out()).containsPattern("\\[1\\] [^\\n]+ \\(en/[a-z-]+\\.md, chunk ")
                .containsPattern("\\[1\\] [^\\n]+ \\(fr/[a-z-]+\\.md, chunk ");
        assertThat(first.out()).contains("(en/ingestion.md, chunk").contains("(fr/recherche-hybride.md, chunk");

        CliRun second = CliRun.run("demo", "--index", index.toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.summary("chunks_embedded")).isZero();
        assertThat(second.summary("chunks_unchanged")).isEqualTo(first.summary("chunks_embedded"));

        CliRun fresh = CliRun.run("demo", "--fresh", "--index", index.toString());
        assertThat(fresh.summary("chunks_embedded")).isEqualTo(first.summary("chunks_embedded"));
    }

    @Test
    void aDemoIndexOfAnEarlierRagkitIsRefusedWithTheWayToRebuildIt() throws Exception {
        Path index = dir.resolve("old-index");
        java.nio.file.Files.createDirectories(index);
        java.nio.file.Files.writeString(index.resolve("faiss-store.properties"), "format=1\n");
        CliRun old = CliRun.run("demo", "--index", index.toString());
        assertThat(old.exitCode()).as(old.toString()).isEqualTo(2);
        assertThat(old.err()).contains("earlier Ragkit").contains("./ragkit demo --fresh");
        assertThat(index.resolve("faiss-store.properties")).as("nothing deleted without --fresh").exists();
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
