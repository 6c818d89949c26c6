package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.DeepFolder;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {
    private static final long SEED = 20261123L;

    @TempDir
    Path dir;
    Path corpus;
    Path index;

    @BeforeEach
    void writeCorpus() throws Exception {
        corpus = dir.resolve("corpus");
        index = dir.resolve("index");
        TestCorpus.write(corpus, 12, SEED);
    }

    private CliRun ingest(String... extra) {
        String[] args = new String[extra.length + 6];
        args[0] = "ingest";
        args[1] = corpus.toString();
        args[2] = "--embedder";
        args[3] = "test-hash";
        args[4] = "--index";
        args[5] = index.toString();
        System.arraycopy(extra, 0, args, 6, extra.length);
        CliRun run = CliRun.run(args);
        assertThat(run.exitCode()).as("seed " + SEED + "\n" + run).isZero();
        return run;
    }

    @Test
    void reingestingUnchangedFilesEmbedsNothing() {
        CliRun first = ingest();
        int chunks = first.summary("chunks_embedded");
        assertThat(chunks).isGreaterThan(12);
        assertThat(first.summary("documents")).isEqualTo(12);
        assertThat(first.err()).contains("100%").contains("12/12 documents");

        CliRun second = ingest();
        assertThat(second.summary("chunks_embedded")).isZero();
        assertThat(second.summary("chunks_unchanged")).isEqualTo(chunks);
        assertThat(second.summary("chunks_deleted")).isZero();
        assertThat(TestCorpus.storedChunks(index, 64)).hasSize(chunks);
    }

    @Test
    void changedFilesReembedOnlyTheirChangedChunksAndDeletedFilesLoseTheirChunks() throws Exception {
        ingest();
        Map<String, String> before = TestCorpus.storedChunks(index, 64);
        Path changed = corpus.resolve("en/doc-0.md");
        Files.writeString(changed, Files.readString(changed) + "\n\nA new closing paragraph about recall.\n");
        Files.delete(corpus.resolve("fr/doc-1.md"));
        long deletedChunks = before.keySet().stream().filter(id -> id.startsWith("fr/doc-1.md#")).count();

        CliRun run = ingest();
        Map<String, String> after = TestCorpus.storedChunks(index, 64);
        long rewritten = after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
        assertThat(rewritten).as("chunks of en/doc-0.md whose text changed or that are new").isBetween(1L, 2L);
        assertThat(after.keySet().stream().filter(id -> !id.startsWith("en/doc-0.md#")))
                .allMatch(id -> after.get(id).equals(before.get(id)));
        assertThat(after).doesNotContainKeys("fr/doc-1.md#0");

        assertThat(run.summary("documents")).isEqualTo(11);
        assertThat(run.summary("chunks_embedded")).isEqualTo((int) rewritten);
        assertThat(run.summary("chunks_unchanged")).isEqualTo((int) (after.size() - rewritten));
        assertThat(run.summary("documents_deleted")).isEqualTo(1);
        assertThat(run.summary("chunks_deleted")).isEqualTo((int) deletedChunks);
    }

    @Test
    void documentIdsAreRelativePathsWithTitleLanguageAndSource() {
        ingest();
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "test-hash", "rag.store", CliConfig.DEFAULT_STORE,
                "rag.store." + CliConfig.DEFAULT_STORE + ".directory", index.toString()))) {
            ScanPage page = rag.store().scan(Filter.eq("doc_id", "fr/doc-3.md"), null, 10);
            assertThat(page.chunks()).isNotEmpty();
            Chunk first = page.chunks().get(0);
            assertThat(first.id()).isEqualTo("fr/doc-3.md#0");
            assertThat(first.metadata()).containsEntry("title", "Document 3")
                    .containsEntry("lang", "fr")
                    .containsEntry("source", corpus.resolve("fr/doc-3.md").toAbsolutePath().toString());
            assertThat(rag.store().indexInfo().orElseThrow().embedder()).isEqualTo("test-hash:64");
        }
    }

    @Test
    void anIndexBuiltByAnotherEmbedderOfTheSameDimensionIsRefused() {
        ingest("--set", "rag.embedder.test-hash.dimension=384");
        CliRun run = CliRun.run("ask", "--index", index.toString(), "what is a journal?");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("was built with embedder 'test-hash:384' (dimension 384) but this retriever"
                + " uses embedder 'onnx:all-minilm-l6-v2-q' (dimension 384)");
        CliRun again = CliRun.run("ingest", corpus.toString(), "--index", index.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        CliRun rebuilt = CliRun.run("ingest", corpus.toString(), "--index", index.toString(), "--set",
                "rag.index.rebuild=true");
        assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
        assertThat(rebuilt.summary("chunks_unchanged")).as("same texts, new embedder: all embedded again").isZero();
        assertThat(CliRun.run("ask", "--index", index.toString(), "what is a journal?").exitCode()).isZero();
    }

    @Test
    void anIndexOfAnotherDimensionIsRefused() {
        ingest();
        CliRun run = CliRun.run("ingest", corpus.toString(), "--embedder", "test-hash", "--set",
                "rag.embedder.test-hash.dimension=32", "--index", index.toString());
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.err()).contains("32").contains("64");
    }

    /** The text of every chunk of the index, by chunk id. */
    private Map<String, String> storedTexts() {
        Map<String, String> texts = new java.util.TreeMap<>();
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "test-hash", "rag.store", CliConfig.DEFAULT_STORE,
                "rag.store." + CliConfig.DEFAULT_STORE + ".directory", index.toString()))) {
            String cursor = null;
            do {
                ScanPage page = rag.store().scan(null, cursor, 500);
                page.chunks().forEach(c -> texts.put(c.id(), c.text()));
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
        }
        return texts;
    }

    @Test
    void aFolderNestedTooDeepIsSkippedByNameAndTheRestIsIngested() throws Exception {
        corpus = dir.resolve("deep-corpus");
        try (DeepFolder deep = new DeepFolder(corpus.resolve("nested"), dir.resolve("links"), 1_500,
                "Ten levels down is still within reach.")) {
            deep.assertTheSystemRefusesItsPath();
            Files.writeString(corpus.resolve("ok.txt"), "This file is fine and gets ingested.");

            CliRun run = ingest();
            assertThat(run.err()).containsPattern("skipped " + java.util.regex.Pattern.quote(
                    corpus.resolve("nested/level").toString()) + "(/level)+: File name too long\n");
            assertThat(run.summary("documents")).isEqualTo(2);
            assertThat(run.summary("documents_skipped")).isEqualTo(1);
            assertThat(storedTexts()).containsKeys("ok.txt#0", "nested/" + "level/".repeat(10) + "shallow.txt#0");
        }
    }

    @Test
    void aFileOverTheMaximumSizeIsSkippedAndKeepsWhatItHadInTheIndex() throws Exception {
        Path grows = corpus.resolve("en/grows.md");
        Files.writeString(grows, "A short file at first.");
        ingest("--set", "rag.ingest.max-document-chars=5000");
        Files.writeString(grows, "Now it is long. ".repeat(375));   // 6,000 bytes; the generated files are smaller

        CliRun run = ingest("--set", "rag.ingest.max-document-chars=5000");
        assertThat(run.err()).contains("skipped " + grows.toAbsolutePath() + ": 6000 bytes, more than "
                + "rag.ingest.max-document-chars (5000); raise it to ingest this file");
        assertThat(run.summary("documents_skipped")).isEqualTo(1);
        assertThat(run.summary("documents_deleted")).isZero();
        assertThat(storedTexts()).containsEntry("en/grows.md#0", "A short file at first.");

        CliRun raised = ingest("--set", "rag.ingest.max-document-chars=10000");
        assertThat(raised.err()).doesNotContain("skipped");
        assertThat(storedTexts().get("en/grows.md#0")).startsWith("Now it is long.");
    }

    @Test
    void htmlPagesAreIngestedAsTextAndAFolderMovedElsewhereIsReported() throws Exception {
        Files.writeString(corpus.resolve("en/page.html"), "<html><head><title>The page</title><script>x()</script>"
                + "</head><body><p>Fish &amp; chips.</p></body></html>");
        ingest();
        assertThat(storedTexts()).containsEntry("en/page.html#0", "Fish & chips.");

        Path moved = dir.resolve("moved");
        Files.move(corpus, moved);
        corpus = moved;
        CliRun run = ingest();
        assertThat(run.err()).contains("warning: 13 document(s) ingested before from " + dir.resolve("corpus")
                + " are replaced by the files under " + moved);
        // Their metadata (source) changed, not their text: rewritten with their stored vectors, not embedded.
        assertThat(run.summary("chunks_reused")).isPositive();
        assertThat(run.summary("chunks_embedded")).isZero();
        assertThat(run.summary("documents_deleted")).isZero();
    }

    @Test
    void controlCharactersOfAFileNeverReachTheIndex() throws Exception {
        Files.writeString(corpus.resolve("en/binaryish.txt"), "Before\u0000the NUL,\u001b[0m after the escape.");
        ingest();
        assertThat(storedTexts()).containsEntry("en/binaryish.txt#0", "Beforethe NUL,[0m after the escape.")
                .allSatisfy((id, text) -> assertThat(text).doesNotContainPattern("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]"));
    }
}
