package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ragkit index list|reindex|promote|rollback} on a directory of versions. */
class IndexCommandTest {
    private static final long SEED = 18L;

    @TempDir
    Path dir;

    private CliRun faiss(Path root, String... args) {
        return run(root, "faiss", args);
    }

    private CliRun run(Path root, String store, String... args) {
        List<String> all = new ArrayList<>(List.of("index"));
        all.addAll(List.of(args));
        all.addAll(List.of("--embedder", "test-hash", "--store", store, "--index", root.toString(),
                "--set", "rag.ingest.batch-size=4"));
        return CliRun.run(all.toArray(String[]::new));
    }

    private CliRun index(Path root, String... args) {
        return run(root, "memory", args);
    }

    private static long value(CliRun run, String name) {
        for (String part : run.out().trim().split("\\s+")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + "= in " + run);
    }

    private Path queries(String... lines) throws IOException {
        Path file = dir.resolve("queries-" + lines.length + ".txt");
        Files.writeString(file, "# sample queries\n" + String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void reindexPromoteRollbackAndListAVersionedIndex() throws Exception {
        Path corpus = dir.resolve("corpus");
        TestCorpus.write(corpus, 20, SEED);
        Path root = dir.resolve("index");

        CliRun empty = index(root, "list");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(empty.out()).contains("has no version yet");

        CliRun first = index(root, "reindex", corpus.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("version=v1 resumed=false reused_from=none documents=20");
        long chunks = value(first, "chunks_in_version");
        assertThat(value(first, "chunks_embedded")).isEqualTo(chunks);
        assertThat(first.err()).contains("it is not live: 'ragkit index promote 1'");

        CliRun listed = index(root, "list");
        assertThat(listed.out()).contains("v1").contains("READY").contains("test-hash:64")
                .contains("recursive(max-chars=1000, overlap-chars=150)");
        assertThat(listed.out().lines().filter(l -> l.startsWith("v1")).findFirst().orElseThrow())
                .doesNotContain(" * ");

        // Nothing is live yet, so there is nothing to compare with: no gate is needed.
        CliRun promoted = index(root, "promote");
        assertThat(promoted.exitCode()).as(promoted.toString()).isZero();
        assertThat(promoted.out()).startsWith("promoted v1: none passed");

        // One file changes: the reindex embeds only its new text and reuses the live vectors.
        Path changed = corpus.resolve("en/doc-4.md");
        Files.writeString(changed, Files.readString(changed) + "\n\nA brand new closing paragraph about rollback.\n");
        CliRun second = index(root, "reindex", corpus.toString(), "--splitter", "1000,150");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).startsWith("version=v2 resumed=false reused_from=v1");
        assertThat(value(second, "chunks_embedded")).isBetween(1L, 2L);
        assertThat(value(second, "chunks_reused")).isGreaterThanOrEqualTo(chunks - 2);

        CliRun noGate = index(root, "promote");
        assertThat(noGate.exitCode()).isEqualTo(2);
        assertThat(noGate.err()).contains("give --qrels DIR").contains("--queries FILE");

        Path sample = queries("index vector chunk", "rollback paragraph", "citation embedding store",
                "hybrid keyword retrieval");
        CliRun gated = index(root, "promote", "--queries", sample.toString(), "--min-agreement", "0.5");
        assertThat(gated.exitCode()).as(gated.toString()).isZero();
        assertThat(gated.out()).startsWith("promoted v2 (was v1): agreement@10 passed: agreement@10=")
                .contains("queries=4");

        CliRun list = index(root, "list");
        assertThat(list.out().lines().filter(l -> l.startsWith("v2")).findFirst().orElseThrow()).contains(" * ");

        CliRun rollback = index(root, "rollback");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("rolled back: live is now v1");
        CliRun again = index(root, "promote", "v2", "--queries", sample.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("promoted v2 (was v1)");
    }

    @Test
    void aCandidateBelowTheGateIsRefusedWithItsFiguresAndTheAliasStays() throws Exception {
        Path corpus = dir.resolve("corpus");
        TestCorpus.write(corpus, 12, SEED);
        Path other = dir.resolve("other");
        TestCorpus.write(other, 12, SEED + 1);
        Path root = dir.resolve("index");
        assertThat(index(root, "reindex", corpus.toString()).exitCode()).isZero();
        assertThat(index(root, "promote", "1").exitCode()).isZero();
        // Another source with other texts under the same file names: a very different candidate.
        assertThat(index(root, "reindex", other.toString()).exitCode()).isZero();

        Path sample = queries("index vector chunk 1.0.0", "answer citation 3.1.2", "guard pipeline 5.0.1");
        CliRun refused = index(root, "promote", "--queries", sample.toString(), "--min-agreement", "0.99");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).startsWith("refused v2, live stays v1: agreement@10 refused: agreement@10=")
                .contains("min-agreement=0.9900").contains("below the threshold 0.990");
        assertThat(index(root, "list").out().lines().filter(l -> l.startsWith("v1")).findFirst().orElseThrow())
                .contains(" * ");

        CliRun badThreshold = index(root, "promote", "--queries", sample.toString(), "--min-agreement", "1.5");
        assertThat(badThreshold.exitCode()).isEqualTo(2);
        assertThat(badThreshold.err()).contains("--min-agreement was '1.5'");
        CliRun wrongGate = index(root, "promote", "--min-ndcg", "0.5", "--queries", sample.toString());
        assertThat(wrongGate.exitCode()).isEqualTo(2);
        assertThat(wrongGate.err()).contains("add --qrels DIR");
        CliRun unknown = index(root, "promote", "9", "--no-gate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no version 9");
        CliRun sub = index(root, "rebuild");
        assertThat(sub.exitCode()).isEqualTo(2);
        assertThat(sub.err()).contains("unknown index sub-command 'rebuild'");
    }

    @Test
    void theLabelledGatePromotesOnNdcgAndRefusesBelowTheThresholdWithBothVersionsFigures() throws Exception {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        Files.writeString(corpus.resolve("alpha.md"), "Apples and apricots grow in the orchard of Alpha.\n");
        Files.writeString(corpus.resolve("bravo.md"), "Bicycles and bridges cross the river near Bravo.\n");
        Files.writeString(corpus.resolve("charlie.md"), "Cheese and chocolate fill the shop of Charlie.\n");
        Path qrels = dir.resolve("qrels-set");
        Files.createDirectories(qrels.resolve("qrels"));
        Files.writeString(qrels.resolve("queries.jsonl"), """
                {"_id": "qa", "text": "apples apricots orchard"}
                {"_id": "qb", "text": "bicycles bridges river"}
                {"_id": "qx", "text": "a document that is not indexed"}
                """);
        // qx is judged against a document the index does not hold: nDCG@10 is at most 2/3.
        Files.writeString(qrels.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nqa\talpha.md\t1\n"
                + "qb\tbravo.md\t1\nqx\tmissing.md\t1\n");
        Path root = dir.resolve("index");
        assertThat(index(root, "reindex", corpus.toString()).exitCode()).isZero();

        CliRun ok = index(root, "promote", "--qrels", qrels.toString(), "--min-ndcg", "0.6");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).startsWith("promoted v1: labelled-set passed: ndcg@10=0.6667 recall@10=0.6667"
                + " min-ndcg@10=0.6000 queries=3");

        assertThat(index(root, "reindex", corpus.toString(), "--splitter", "300,0").exitCode()).isZero();
        CliRun refused = index(root, "promote", "--qrels", qrels.toString(), "--min-ndcg", "0.9");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).startsWith("refused v2, live stays v1: labelled-set refused: ndcg@10=0.6667")
                .contains("live-ndcg@10=0.6667").contains("nDCG@10 0.6667 is below the threshold 0.9000");
        CliRun passed = index(root, "promote", "--qrels", qrels.toString(), "--min-recall", "0.6", "--k", "5");
        assertThat(passed.exitCode()).as(passed.toString()).isZero();
        assertThat(passed.out()).contains("recall@5=0.6667").contains("min-recall@5=0.6000");
    }

    /**
     * A reindex killed with SIGKILL half-way leaves its version BUILDING and the live version as it was;
     * the next reindex with the same embedder and splitter continues that version rather than starting
     * another one.
     */
    @Test
    void aReindexKilledMidwayIsContinuedByTheNextOneAndNeverTouchesTheLiveVersion() throws Exception {
        Path corpus = dir.resolve("corpus");
        TestCorpus.write(corpus, 24, SEED);
        Path root = dir.resolve("index");
        CliRun first = faiss(root, "reindex", corpus.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(faiss(root, "promote").exitCode()).isZero();
        Map<String, String> live = TestCorpus.storedChunks(root.resolve("v1"), 64);
        long total = value(first, "chunks_in_version");

        // Another embedder (dimension 32), slowed down: every chunk is embedded, 4 per 300 ms call.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RagkitCli.class.getName(),
                "index", "reindex", corpus.toString(), "--embedder", "test-hash", "--index", root.toString(),
                "--set", "rag.ingest.batch-size=4", "--set", "rag.embedder.test-hash.dimension=32",
                "--set", "rag.embedder.test-hash.delay-ms=300"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.isDirectory(root.resolve("v2")) && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(Files.isDirectory(root.resolve("v2"))).as(Files.readString(dir.resolve("child.log"))).isTrue();
            Thread.sleep(2500); // several batches written, far from all of them
            assertThat(child.isAlive()).as("the child must still be reindexing: " + Files.readString(
                    dir.resolve("child.log"))).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
            child.waitFor(30, TimeUnit.SECONDS);
        }

        CliRun listed = faiss(root, "list");
        assertThat(listed.out().lines().filter(l -> l.startsWith("v2")).findFirst().orElseThrow())
                .contains("BUILDING").contains("test-hash:32");
        assertThat(listed.out().lines().filter(l -> l.startsWith("v1")).findFirst().orElseThrow()).contains(" * ");
        assertThat(TestCorpus.storedChunks(root.resolve("v1"), 64)).as("the live version").isEqualTo(live);

        CliRun resumed = faiss(root, "reindex", corpus.toString(), "--set",
                "rag.embedder.test-hash.dimension=32");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).startsWith("version=v2 resumed=true reused_from=none");
        long unchanged = value(resumed, "chunks_unchanged");
        assertThat(unchanged).as("chunks written before the kill are kept").isPositive().isLessThan(total);
        assertThat(value(resumed, "chunks_embedded")).isEqualTo(total - unchanged);
        assertThat(value(resumed, "chunks_in_version")).isEqualTo(total);
        assertThat(TestCorpus.storedChunks(root.resolve("v2"), 32).keySet()).isEqualTo(live.keySet());
        assertThat(faiss(root, "list").out()).doesNotContain("v3");
    }
}
