package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AskCommandTest {
    private static final long SEED = 7L;

    @TempDir
    Path dir;
    Path index;

    @BeforeEach
    void ingest() throws Exception {
        Path corpus = dir.resolve("corpus");
        index = dir.resolve("index");
        TestCorpus.write(corpus, 10, SEED);
        CliRun run = CliRun.run("ingest", corpus.toString(), "--embedder", "test-hash", "--index", index.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static List<String> sourceLines(String out) {
        return out.lines().filter(l -> l.matches("  \\[\\d+] .*")).toList();
    }

    @Test
    void answersWithNumberedSourcesAndSaysItIsExtractive() {
        CliRun run = CliRun.run("ask", "--embedder", "test-hash", "--index", index.toString(), "--top-k", "3",
                "--verbose", "journal", "snapshot", "recall");
        assertThat(run.exitCode()).as("seed " + SEED + "\n" + run).isZero();
        assertThat(run.out()).contains("[1]").contains("\nSources:\n")
                .contains("Answered by: extractive (EXTRACTIVE").contains("Timings: rag.embed");
        assertThat(sourceLines(run.out())).isNotEmpty().hasSizeLessThanOrEqualTo(3)
                .allMatch(l -> l.contains("Document ") && l.contains(".md, chunk "));
    }

    @Test
    void aFailingLanguageModelFallsBackToAnExtractiveAnswerAndSaysWhy() {
        CliRun run = CliRun.run(Map.of("RAG_LLM", "test-down"), "ask", "--embedder", "test-hash", "--index",
                index.toString(), "journal snapshot");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\nSources:\n")
                .contains("Answered by: extractive (EXTRACTIVE: every language model failed")
                .contains("\n  fell back from test-down: connection refused\n");

        CliRun streamed = CliRun.run(Map.of("RAG_LLM", "test-down"), "ask", "--stream", "--embedder", "test-hash",
                "--index", index.toString(), "journal snapshot");
        assertThat(streamed.exitCode()).as(streamed.toString()).isZero();
        assertThat(streamed.out()).contains("fell back from test-down: connection refused").contains("[1]");

        CliRun forced = CliRun.run(Map.of("RAG_LLM", "test-down"), "ask", "--llm", "none", "--embedder", "test-hash",
                "--index", index.toString(), "journal snapshot");
        assertThat(forced.out()).doesNotContain("fell back").contains("no language model is configured");
    }

    @Test
    void whereRestrictsTheSourcesAndModeAndConfigFileAreApplied() throws Exception {
        Path config = dir.resolve("rag.properties");
        Files.writeString(config, "rag.embedder=test-hash\nrag.retrieval.top-k=4\n");
        for (String mode : List.of("dense", "keyword", "hybrid")) {
            CliRun run = CliRun.run("ask", "--config", config.toString(), "--index", index.toString(), "--mode", mode,
                    "--where", "lang=fr", "journal snapshot batch");
            assertThat(run.exitCode()).as(mode + ", seed " + SEED + "\n" + run).isZero();
            assertThat(sourceLines(run.out())).as(mode).isNotEmpty().allMatch(l -> l.contains("(fr/doc-"));
        }
    }

    /** Name -> size, content and modification time of every file in the index. */
    private Map<String, String> files() throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> listed = Files.list(index)) {
            for (Path f : listed.toList()) {
                out.put(f.getFileName().toString(), Files.size(f) + "/" + java.util.Arrays.hashCode(Files.readAllBytes(f))
                        + "/" + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }

    @Test
    void askingWritesNothingInTheIndex() throws Exception {
        Files.delete(index.resolve("ragkit-store.lock"));
        Map<String, String> before = files();
        CliRun run = CliRun.run("ask", "--embedder", "test-hash", "--index", index.toString(), "journal snapshot");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(files()).as("no file written, created or removed by ask").isEqualTo(before);
    }

    @Test
    void aMissingManifestIsReportedAndNoDataIsDeleted() throws Exception {
        Files.delete(index.resolve("ragkit-store.properties"));
        Map<String, String> before = files();
        CliRun run = CliRun.run("ask", "--embedder", "test-hash", "--index", index.toString(), "journal snapshot");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("ragkit-store.properties is missing").contains("chunks-1.bin")
                .contains("index-1.faiss").doesNotContain("is empty");
        CliRun ingest = CliRun.run("ingest", dir.resolve("corpus").toString(), "--embedder", "test-hash", "--index",
                index.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isEqualTo(1);
        assertThat(files()).as("the data files are all still there, unchanged").isEqualTo(before);
    }

    @Test
    void anotherStoreKindRefusesTheIndexDirectory() throws Exception {
        Map<String, String> before = files();
        for (String command : List.of("ask", "ingest")) {
            List<String> args = command.equals("ask") ? List.of("ask", "--store", "memory", "--embedder", "test-hash",
                    "--index", index.toString(), "journal")
                    : List.of("ingest", dir.resolve("corpus").toString(), "--store", "memory", "--embedder", "test-hash",
                    "--index", index.toString());
            CliRun run = CliRun.run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("holds a 'faiss' store, so a 'memory' store cannot use it");
        }
        assertThat(files()).isEqualTo(before);
    }
}
