package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingestion that dies half-way (the embedder fails on its third call) and is run again ends with
 * exactly the chunks of an uninterrupted run, and the rerun embeds only what the first run missed.
 */
class InterruptedIngestTest {
    private static final long SEED = 42L;

    @TempDir
    Path dir;

    private CliRun ingest(Path corpus, Path index, String... extra) {
        String[] base = {"ingest", corpus.toString(), "--embedder", "test-hash", "--index", index.toString(),
            "--set", "rag.ingest.batch-size=8"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(args);
    }

    @Test
    void rerunAfterAFailureHalfWayEndsLikeAnUninterruptedRun() throws Exception {
        Path corpus = dir.resolve("corpus");
        TestCorpus.write(corpus, 30, SEED);

        Path reference = dir.resolve("reference");
        CliRun uninterrupted = ingest(corpus, reference);
        assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();
        int total = uninterrupted.summary("chunks_embedded");
        assertThat(total).as("seed %d: enough chunks for more than three batches of 8", SEED).isGreaterThan(4 * 8);

        Path index = dir.resolve("index");
        CliRun failed = ingest(corpus, index, "--set", "rag.embedder.test-hash.fail-after-calls=2");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err()).contains("simulated failure on embedding call 3");
        Map<String, String> partial = TestCorpus.storedChunks(index, 64);
        // Two embedding calls (batches of at most 8) were written before the third failed.
        assertThat(partial.size()).as("seed %d", SEED).isBetween(2, 16);

        CliRun rerun = ingest(corpus, index);
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.summary("chunks_unchanged")).isEqualTo(partial.size());
        assertThat(rerun.summary("chunks_embedded")).isEqualTo(total - partial.size());

        assertThat(TestCorpus.storedChunks(index, 64)).isEqualTo(TestCorpus.storedChunks(reference, 64)).hasSize(total);
        assertThat(ingest(corpus, index).summary("chunks_embedded")).isZero();
    }
}
