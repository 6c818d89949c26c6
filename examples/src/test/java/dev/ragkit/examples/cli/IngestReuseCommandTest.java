package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ragkit ingest} keeps the vectors of chunks that only moved, and says how many. */
class IngestReuseCommandTest {
    @TempDir
    Path dir;

    private CliRun ingest(Path corpus, Path index) {
        return CliRun.run("ingest", corpus.toString(), "--embedder", "test-hash", "--store", "memory", "--index",
                index.toString(), "--set", "rag.splitter.max-chars=160", "--set", "rag.splitter.overlap-chars=0");
    }

    @Test
    void aParagraphInsertedAtTheTopEmbedsOneChunkAndMovesTheOthersWithTheirVectors() throws Exception {
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            paragraphs.add("Paragraph " + i + " explains how the index keeps vector number " + i
                    + " for its chunk, whatever its position.");
        }
        Path corpus = dir.resolve("docs");
        Files.createDirectories(corpus);
        Path file = corpus.resolve("guide.md");
        Files.writeString(file, String.join("\n\n", paragraphs));
        Path index = dir.resolve("index");
        CliRun first = ingest(corpus, index);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.summary("chunks_embedded")).isEqualTo(10);
        assertThat(first.out()).doesNotContain("chunks_reused");

        paragraphs.add(0, "A new introduction comes first now, before every other paragraph of the guide.");
        Files.writeString(file, String.join("\n\n", paragraphs));
        CliRun second = ingest(corpus, index);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.summary("chunks_embedded")).isEqualTo(1);
        assertThat(second.summary("chunks_reused")).isEqualTo(10);
        assertThat(second.summary("chunks_unchanged")).isZero();
    }
}
